#line 14 "tests/tangle/unterminated.md"
int b;
#line 11 "tests/tangle/unterminated.md"
int q;
#line 16 "tests/tangle/unterminated.md"
```
this is still code: three backticks do not close four
