/* Reference for the pi-montecarlo comparison: a plain scalar Monte Carlo loop with xoshiro256+.
 * Two doubles in [0,1) per sample (top 53 bits of each output), hit when x*x + y*y <= 1.
 * Usage: montecarlo_xoshiro SAMPLES [SEED]; prints the hit count.
 * Built by the benchmark with gcc -O3 -march=native. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t s[4];

static inline uint64_t rotl(const uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256+ 1.0 (Blackman & Vigna), written from the published algorithm. */
static inline uint64_t next(void) {
    const uint64_t result = s[0] + s[3];
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* splitmix64 to fill the state from a seed, as the xoshiro authors recommend. */
static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s SAMPLES [SEED]\n", argv[0]);
        return 2;
    }
    uint64_t n = strtoull(argv[1], NULL, 10);
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 0;
    for (int i = 0; i < 4; i++) s[i] = splitmix64(&seed);
    uint64_t hits = 0;
    for (uint64_t i = 0; i < n; i++) {
        double x = (next() >> 11) * 0x1.0p-53;
        double y = (next() >> 11) * 0x1.0p-53;
        hits += (x * x + y * y <= 1.0);
    }
    printf("%llu\n", (unsigned long long)hits);
    return 0;
}
