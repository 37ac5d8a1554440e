// Prompt and decode throughput of llama.cpp's libllama on one GGUF file, measured as llama-bench
// does: a prompt of random tokens decoded as one batch (logits of the last token only), then
// tokens decoded one at a time; the median of the repetitions. Prints one JSON line.
// Usage: llama_bench LIB_DIR MODEL PROMPT_TOKENS DECODE_TOKENS REPETITIONS THREADS
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ggml-backend.h"
#include "llama.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static void quiet(enum ggml_log_level level, const char *text, void *user) {
    (void) user;
    if (level == GGML_LOG_LEVEL_ERROR) {
        fputs(text, stderr);
    }
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s LIB_DIR MODEL PROMPT_TOKENS DECODE_TOKENS REPETITIONS THREADS\n", argv[0]);
        return 2;
    }
    int np = atoi(argv[3]), nd = atoi(argv[4]), reps = atoi(argv[5]), threads = atoi(argv[6]);
    llama_log_set(quiet, NULL);
    ggml_backend_load_all_from_path(argv[1]);
    llama_backend_init();
    struct llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    struct llama_model *model = llama_model_load_from_file(argv[2], mp);
    if (model == NULL) {
        fprintf(stderr, "cannot load %s\n", argv[2]);
        return 1;
    }
    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = (uint32_t) (np + nd + 1);
    cp.n_batch = (uint32_t) np;
    cp.n_ubatch = (uint32_t) np;
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    cp.no_perf = true;
    struct llama_context *ctx = llama_init_from_model(model, cp);
    int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
    double *pp = calloc((size_t) reps, sizeof(double));
    double *tg = calloc((size_t) reps, sizeof(double));
    srand(42);
    for (int r = -1; r < reps; r++) {  // r = -1: warm-up
        llama_memory_clear(llama_get_memory(ctx), true);
        struct llama_batch batch = llama_batch_init(np, 0, 1);
        for (int i = 0; i < np; i++) {
            batch.token[i] = rand() % n_vocab;
            batch.pos[i] = i;
            batch.n_seq_id[i] = 1;
            batch.seq_id[i][0] = 0;
            batch.logits[i] = i == np - 1;
        }
        batch.n_tokens = np;
        double t0 = now();
        if (llama_decode(ctx, batch) != 0) {
            fprintf(stderr, "prompt decode failed\n");
            return 1;
        }
        double t1 = now();
        llama_batch_free(batch);
        int steps = r < 0 ? (nd < 4 ? nd : 4) : nd;
        for (int i = 0; i < steps; i++) {
            struct llama_batch one = llama_batch_init(1, 0, 1);
            one.token[0] = rand() % n_vocab;
            one.pos[0] = np + i;
            one.n_seq_id[0] = 1;
            one.seq_id[0][0] = 0;
            one.logits[0] = 1;
            one.n_tokens = 1;
            if (llama_decode(ctx, one) != 0) {
                fprintf(stderr, "decode failed\n");
                return 1;
            }
            llama_batch_free(one);
        }
        double t2 = now();
        if (r >= 0) {
            pp[r] = np / (t1 - t0);
            tg[r] = nd > 0 ? nd / (t2 - t1) : 0;
        }
    }
    qsort(pp, (size_t) reps, sizeof(double), cmp);
    qsort(tg, (size_t) reps, sizeof(double), cmp);
    printf("{\"backend\":\"llama.cpp\",\"threads\":%d,\"prompt_tok_s\":%.3f,\"decode_tok_s\":%.3f}\n", threads,
           pp[reps / 2], tg[reps / 2]);
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
