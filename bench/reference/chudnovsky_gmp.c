/*
 * Reference for the `digits` comparison: decimal digits of pi by the Chudnovsky series with binary
 * splitting, straight GMP (mpz only), one thread. Written for HpcK8s; the same algorithm as the
 * pi-digits kernel so that the benchmark measures the cost of our binding, sharding and encoding.
 *
 *   gcc -O3 -march=native -o chudnovsky_gmp chudnovsky_gmp.c -lgmp
 *   ./chudnovsky_gmp 1000000      prints "3." followed by exactly 1000000 digits (truncated)
 *
 * pi = 426880 sqrt(10005) Q(0,N) / T(0,N), with for k >= 1
 *   p(k) = -(6k-5)(2k-1)(6k-1),  q(k) = k^3 C^3/24,  t(k) = p(k) (13591409 + 545140134 k)
 * and p(0) = q(0) = 1, t(0) = 13591409; ranges merge as
 *   P = P1 P2,  Q = Q1 Q2,  T = T1 Q2 + P1 T2.
 * P of a range that ends at N is never used, so it is not computed.
 */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUARD_DIGITS 20
#define DIGITS_PER_TERM 14.181647462725477
#define C3_OVER_24 10939058860032000UL

static void split(unsigned long a, unsigned long b, int need_p, mpz_t p, mpz_t q, mpz_t t)
{
    if (b - a == 1) {
        if (a == 0) {
            mpz_set_ui(p, 1);
            mpz_set_ui(q, 1);
            mpz_set_ui(t, 13591409);
            return;
        }
        mpz_set_ui(p, 6 * a - 5);
        mpz_mul_ui(p, p, 2 * a - 1);
        mpz_mul_ui(p, p, 6 * a - 1);
        mpz_neg(p, p);
        mpz_set_ui(q, a * a);
        mpz_mul_ui(q, q, a);
        mpz_mul_ui(q, q, C3_OVER_24);
        mpz_mul_ui(t, p, 13591409 + 545140134 * a);
        return;
    }

    unsigned long m = a + (b - a) / 2;
    mpz_t p2, q2, t2;
    mpz_inits(p2, q2, t2, NULL);
    split(a, m, 1, p, q, t);
    split(m, b, need_p, p2, q2, t2);
    mpz_mul(t, t, q2);
    mpz_addmul(t, p, t2);
    mpz_mul(q, q, q2);
    if (need_p) {
        mpz_mul(p, p, p2);
    }
    mpz_clears(p2, q2, t2, NULL);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIGITS\n", argv[0]);
        return 2;
    }
    long digits = strtol(argv[1], NULL, 10);
    if (digits < 1) {
        fprintf(stderr, "DIGITS must be a positive integer\n");
        return 2;
    }

    unsigned long work = (unsigned long)digits + GUARD_DIGITS;
    unsigned long terms = (unsigned long)(work / DIGITS_PER_TERM) + 2;

    mpz_t p, q, t, s, x;
    mpz_inits(p, q, t, s, x, NULL);
    split(0, terms, 0, p, q, t);

    /* x = floor(426880 * floor(sqrt(10005 * 10^(2 work))) * Q / T), about pi * 10^work */
    mpz_ui_pow_ui(s, 10, 2 * work);
    mpz_mul_ui(s, s, 10005);
    mpz_sqrt(s, s);
    mpz_mul(x, s, q);
    mpz_mul_ui(x, x, 426880);
    mpz_tdiv_q(x, x, t);

    char *text = mpz_get_str(NULL, 10, x);
    /* x is within a few units of pi * 10^work; truncating to `digits` is safe unless the guard digits
       sit within ten units of a digit boundary (all but the last one 0, or all 9). */
    const char *guard = text + 1 + digits;
    int zeros = 1, nines = 1;
    for (int i = 0; i < GUARD_DIGITS - 1; i++) {
        zeros &= guard[i] == '0';
        nines &= guard[i] == '9';
    }
    if (zeros || nines) {
        fprintf(stderr, "guard digits too close to a digit boundary; raise GUARD_DIGITS\n");
        return 1;
    }
    text[1 + digits] = '\0';
    printf("3.%s\n", text + 1);

    void (*free_func)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &free_func);
    free_func(text, strlen(text) + 1);
    mpz_clears(p, q, t, s, x, NULL);
    return 0;
}
