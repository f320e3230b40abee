#line 4 "tests/tangle/text-ref.md"
int f(int x) { return x <<2>> 1; }
/* see <<notes>> below */
int g = 1 << 3 >> 1;
<<<x>>>
#line 13 "tests/tangle/text-ref.md"
    int good;
#line 9 "tests/tangle/text-ref.md"
<<>>
