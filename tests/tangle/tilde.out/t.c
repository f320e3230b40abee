#line 4 "tests/tangle/tilde.md"
int tilde;
```
still inside: backticks do not close tildes
```
#line 11 "tests/tangle/tilde.md"
````
inside a five-backtick fence
````
#line 17 "tests/tangle/tilde.md"
int x;
