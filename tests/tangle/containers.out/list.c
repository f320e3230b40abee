#line 6 "tests/tangle/containers.md"
int in_list;
#line 22 "tests/tangle/containers.md"
    int quoted;
#line 8 "tests/tangle/containers.md"
int after;
#line 16 "tests/tangle/containers.md"
int deeper;
#line 28 "tests/tangle/containers.md"
int in_quoted_list;
