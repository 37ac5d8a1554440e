// Times llama.cpp mtmd's image encoder (mtmd_encode_chunk) on one image, through the thin layer
// that the tests use (ci/reference/mtmd_ref.c, libmtmd_ref.so). Benchmark, not a test.
// Usage: mtmd_encode_bench TEXT.gguf MMPROJ.gguf IMAGE.rgb WIDTH HEIGHT THREADS REPETITIONS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct mref mref;
mref *mref_open(const char *model_path, const char *mmproj_path, int n_ctx, int n_threads);
void mref_close(mref *r);
const char *mref_marker(void);
int mref_tokenize(mref *r, const char *prompt, const unsigned char *rgb, const int *sizes, int n_images);
int mref_chunk(mref *r, int i, int *n);
int mref_encode(mref *r, int i, float *out, long cap);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s TEXT.gguf MMPROJ.gguf IMAGE.rgb WIDTH HEIGHT THREADS REPETITIONS\n", argv[0]);
        return 2;
    }
    int w = atoi(argv[4]), h = atoi(argv[5]), threads = atoi(argv[6]), reps = atoi(argv[7]);
    size_t bytes = (size_t) w * h * 3;
    unsigned char *rgb = malloc(bytes);
    FILE *f = fopen(argv[3], "rb");
    if (f == NULL || fread(rgb, 1, bytes, f) != bytes) {
        fprintf(stderr, "cannot read %zu bytes of RGB from %s\n", bytes, argv[3]);
        return 3;
    }
    fclose(f);
    mref *r = mref_open(argv[1], argv[2], 8192, threads);
    if (r == NULL) {
        fprintf(stderr, "mtmd cannot open %s with %s\n", argv[1], argv[2]);
        return 3;
    }
    char prompt[256];
    snprintf(prompt, sizeof prompt, "describe %s", mref_marker());
    int sizes[2] = {w, h};
    int chunks = mref_tokenize(r, prompt, rgb, sizes, 1);
    int image = -1, tokens = 0;
    for (int i = 0; i < chunks; i++) {
        int n;
        if (mref_chunk(r, i, &n) == 1) {
            image = i;
            tokens = n;
        }
    }
    if (image < 0) {
        fprintf(stderr, "no image chunk\n");
        return 1;
    }
    long cap = (long) tokens * 16384;
    float *out = malloc(sizeof(float) * (size_t) cap);
    for (int k = 0; k < reps; k++) {
        double t0 = now();
        if (mref_encode(r, image, out, cap) < 0) {
            fprintf(stderr, "encode failed\n");
            return 1;
        }
        printf("mtmd encode %d: %.1f ms (%d tokens)\n", k + 1, (now() - t0) * 1e3, tokens);
        fflush(stdout);
    }
    mref_close(r);
    return 0;
}
