#line 9 "tests/tangle/nonascii.md"
puts("bonjour");
#line 13 "tests/tangle/nonascii.md"
puts("☃");
