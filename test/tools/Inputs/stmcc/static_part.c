/* linked from a static library of its own, between -Wl,-Bstatic and -Wl,-Bdynamic */
int static_part(void) { return 0; }
