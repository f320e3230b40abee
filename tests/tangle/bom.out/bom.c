#line 2 "tests/tangle/bom.md"
int bom; /* line 2 */
#line 7 "tests/tangle/bom.md"
int x; /* line 7 */
