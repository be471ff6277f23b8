/* A const function compiled in another file (with or without stmc). */
__attribute__((const)) long ext_mix(long i) { return (long)(((unsigned long)i * 2654435761u) >> 7); }
