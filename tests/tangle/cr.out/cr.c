#line 4 "tests/tangle/cr.md"
int a;
#line 8 "tests/tangle/cr.md"
int b; /* line 8 */
