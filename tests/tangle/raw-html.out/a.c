#line 13 "tests/tangle/raw-html.md"
/* <b>inside code</b> is code, not HTML */
int a;
