// A thin C layer over llama.cpp's libllama, so that tests can reach it through the FFM API with
// plain pointers and ints only (llama.cpp's own entry points take and return structs by value,
// whose layout changes between releases). Built by ci/reference/build-llama-ref against the
// headers of the same llama.cpp release the npm package @node-llama-cpp/linux-x64 ships.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ggml-backend.h"
#include "llama.h"

typedef struct {
    struct llama_model *model;
    struct llama_context *ctx;
    const struct llama_vocab *vocab;
    int n_ctx;
} ref_model;

static void ref_log(enum ggml_log_level level, const char *text, void *user) {
    (void) user;
    if (level == GGML_LOG_LEVEL_ERROR) {
        fputs(text, stderr);
    }
}

// Loads the CPU backends found in lib_dir; returns the number of registered backends.
int ref_init(const char *lib_dir) {
    llama_log_set(ref_log, NULL);
    ggml_backend_load_all_from_path(lib_dir);
    llama_backend_init();
    return (int) ggml_backend_reg_count();
}

// Loads a GGUF model; vocab_only skips the weights. Returns NULL on failure.
ref_model *ref_load(const char *path, int n_ctx, int vocab_only, int n_threads) {
    struct llama_model_params mp = llama_model_default_params();
    mp.vocab_only = vocab_only != 0;
    mp.n_gpu_layers = 0;
    struct llama_model *model = llama_model_load_from_file(path, mp);
    if (model == NULL) {
        return NULL;
    }
    ref_model *r = calloc(1, sizeof(ref_model));
    r->model = model;
    r->vocab = llama_model_get_vocab(model);
    r->n_ctx = n_ctx;
    if (!vocab_only) {
        struct llama_context_params cp = llama_context_default_params();
        cp.n_ctx = (uint32_t) n_ctx;
        cp.n_batch = (uint32_t) n_ctx;
        cp.n_ubatch = (uint32_t) n_ctx;
        cp.n_seq_max = 1;
        cp.n_threads = n_threads;
        cp.n_threads_batch = n_threads;
        cp.no_perf = true;
        // Exact reference numbers: f32 KV cache and the plain attention path.
        cp.type_k = GGML_TYPE_F32;
        cp.type_v = GGML_TYPE_F32;
        cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
        r->ctx = llama_init_from_model(model, cp);
        if (r->ctx == NULL) {
            llama_model_free(model);
            free(r);
            return NULL;
        }
    }
    return r;
}

void ref_free(ref_model *r) {
    if (r == NULL) {
        return;
    }
    if (r->ctx != NULL) {
        llama_free(r->ctx);
    }
    llama_model_free(r->model);
    free(r);
}

int ref_n_vocab(ref_model *r) {
    return llama_vocab_n_tokens(r->vocab);
}

int ref_is_eog(ref_model *r, int token) {
    return llama_vocab_is_eog(r->vocab, token) ? 1 : 0;
}

// Returns the number of tokens, or minus the number needed when cap is too small.
int ref_tokenize(ref_model *r, const char *text, int len, int add_special, int parse_special,
                 int *out, int cap) {
    return llama_tokenize(r->vocab, text, len, out, cap, add_special != 0, parse_special != 0);
}

// The piece of one token as bytes (special tokens rendered); returns the length or a negative size.
int ref_token_to_piece(ref_model *r, int token, char *out, int cap) {
    return llama_token_to_piece(r->vocab, token, out, cap, 0, true);
}

static int ref_decode_all(ref_model *r, const int *ids, int n, int all_logits) {
    llama_memory_clear(llama_get_memory(r->ctx), true);
    struct llama_batch batch = llama_batch_init(n, 0, 1);
    for (int i = 0; i < n; i++) {
        batch.token[i] = ids[i];
        batch.pos[i] = i;
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = 0;
        batch.logits[i] = (int8_t) (all_logits || i == n - 1);
    }
    batch.n_tokens = n;
    int rc = llama_decode(r->ctx, batch);
    llama_batch_free(batch);
    return rc;
}

// Logits after every position of the prompt, written row by row into out (n * n_vocab floats).
int ref_eval(ref_model *r, const int *ids, int n, float *out) {
    if (r->ctx == NULL || n <= 0 || n > r->n_ctx) {
        return -1;
    }
    int rc = ref_decode_all(r, ids, n, 1);
    if (rc != 0) {
        return rc;
    }
    int nv = llama_vocab_n_tokens(r->vocab);
    for (int i = 0; i < n; i++) {
        memcpy(out + (size_t) i * nv, llama_get_logits_ith(r->ctx, i), sizeof(float) * (size_t) nv);
    }
    return 0;
}

// Logits after every one of n rows of input embeddings (n * n_embd floats, used as they are: no token
// lookup, no embedding scale), at positions 0..n-1 of a fresh sequence; out gets n * n_vocab floats.
int ref_eval_embd(ref_model *r, const float *embd, int n, float *out) {
    if (r->ctx == NULL || n <= 0 || n > r->n_ctx) {
        return -1;
    }
    int n_embd = llama_model_n_embd(r->model);
    llama_memory_clear(llama_get_memory(r->ctx), true);
    struct llama_batch batch = llama_batch_init(n, n_embd, 1);
    memcpy(batch.embd, embd, sizeof(float) * (size_t) n * (size_t) n_embd);
    for (int i = 0; i < n; i++) {
        batch.pos[i] = i;
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = 0;
        batch.logits[i] = 1;
    }
    batch.n_tokens = n;
    int rc = llama_decode(r->ctx, batch);
    llama_batch_free(batch);
    if (rc != 0) {
        return rc;
    }
    int nv = llama_vocab_n_tokens(r->vocab);
    for (int i = 0; i < n; i++) {
        memcpy(out + (size_t) i * nv, llama_get_logits_ith(r->ctx, i), sizeof(float) * (size_t) nv);
    }
    return 0;
}

// Greedy continuation of n_gen tokens after the prompt; stops after an end-of-generation token.
// Returns the number of tokens written to out.
int ref_greedy(ref_model *r, const int *ids, int n, int n_gen, int *out) {
    if (r->ctx == NULL || n <= 0 || n + n_gen > r->n_ctx) {
        return -1;
    }
    if (ref_decode_all(r, ids, n, 0) != 0) {
        return -2;
    }
    int nv = llama_vocab_n_tokens(r->vocab);
    int produced = 0;
    for (int step = 0; step < n_gen; step++) {
        const float *logits = llama_get_logits_ith(r->ctx, -1);
        int best = 0;
        for (int v = 1; v < nv; v++) {
            if (logits[v] > logits[best]) {
                best = v;
            }
        }
        out[produced++] = best;
        if (llama_vocab_is_eog(r->vocab, best)) {
            break;
        }
        struct llama_batch next = llama_batch_init(1, 0, 1);
        next.token[0] = best;
        next.pos[0] = n + step;
        next.n_seq_id[0] = 1;
        next.seq_id[0][0] = 0;
        next.logits[0] = 1;
        next.n_tokens = 1;
        int rc = llama_decode(r->ctx, next);
        llama_batch_free(next);
        if (rc != 0) {
            return -3;
        }
    }
    return produced;
}
