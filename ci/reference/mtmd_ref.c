// A thin C layer over llama.cpp's multimodal library (tools/mtmd) as the npm package
// @fugood/node-llama-linux-x64 ships it: a node addon, index.node, that exports the llama_* and
// mtmd_* C symbols. Tests reach this layer through the FFM API with plain pointers and ints.
// Built by ci/reference/build-mtmd-ref against the llama.h/ggml headers of the same release, which
// the JS wrapper @fugood/llama.node carries in src/llama.cpp.
//
// The package carries no mtmd.h. The declarations below are those of tools/mtmd/mtmd.h, with one
// difference found in the binary: this build's struct mtmd_context_params has no `device` member
// (mtmd_context_params_default writes use_gpu at 0, print_timings at 1, n_threads at 4,
// image_marker at 8, media_marker at 16, flash_attn_type at 24, warmup at 28, image_min/max_tokens
// at 32/36, cb_eval at 40, its user data at 48, batch_max_tokens at 56, progress_callback at 64,
// its user data at 72: 80 bytes). mref_init checks those offsets against the library at run time
// before it passes the struct by value. struct mtmd_input_text (text, text_len, add_special,
// parse_special) matches the reads of mtmd_tokenize in the binary.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "llama.h"

typedef struct mtmd_context mtmd_context;
typedef struct mtmd_bitmap mtmd_bitmap;
typedef struct mtmd_input_chunk mtmd_input_chunk;
typedef struct mtmd_input_chunks mtmd_input_chunks;
typedef struct mtmd_image_tokens mtmd_image_tokens;

struct mtmd_context_params {
    bool use_gpu;
    bool print_timings;
    int n_threads;
    const char *image_marker;
    const char *media_marker;
    enum llama_flash_attn_type flash_attn_type;
    bool warmup;
    int image_min_tokens;
    int image_max_tokens;
    ggml_backend_sched_eval_callback cb_eval;
    void *cb_eval_user_data;
    int32_t batch_max_tokens;
    bool (*progress_callback)(float progress, void *user_data);
    void *progress_callback_user_data;
};

struct mtmd_input_text {
    const char *text;
    size_t text_len;
    bool add_special;
    bool parse_special;
};

enum mtmd_input_chunk_type {
    MTMD_INPUT_CHUNK_TYPE_TEXT,
    MTMD_INPUT_CHUNK_TYPE_IMAGE,
    MTMD_INPUT_CHUNK_TYPE_AUDIO,
};

const char *mtmd_default_marker(void);
struct mtmd_context_params mtmd_context_params_default(void);
mtmd_context *mtmd_init_from_file(const char *mmproj_fname, const struct llama_model *text_model,
                                  const struct mtmd_context_params ctx_params);
void mtmd_free(mtmd_context *ctx);
bool mtmd_decode_use_non_causal(const mtmd_context *ctx, const mtmd_input_chunk *chunk);
mtmd_bitmap *mtmd_bitmap_init(uint32_t nx, uint32_t ny, const unsigned char *data);
mtmd_bitmap *mtmd_bitmap_init_from_audio(size_t n_samples, const float *data);
bool mtmd_support_audio(const mtmd_context *ctx);
bool mtmd_support_vision(const mtmd_context *ctx);
int mtmd_get_audio_sample_rate(const mtmd_context *ctx);
void mtmd_bitmap_free(mtmd_bitmap *bitmap);
mtmd_input_chunks *mtmd_input_chunks_init(void);
size_t mtmd_input_chunks_size(const mtmd_input_chunks *chunks);
const mtmd_input_chunk *mtmd_input_chunks_get(const mtmd_input_chunks *chunks, size_t idx);
void mtmd_input_chunks_free(mtmd_input_chunks *chunks);
enum mtmd_input_chunk_type mtmd_input_chunk_get_type(const mtmd_input_chunk *chunk);
const llama_token *mtmd_input_chunk_get_tokens_text(const mtmd_input_chunk *chunk, size_t *n_tokens_output);
size_t mtmd_input_chunk_get_n_tokens(const mtmd_input_chunk *chunk);
int32_t mtmd_tokenize(mtmd_context *ctx, mtmd_input_chunks *output, const struct mtmd_input_text *text,
                      const mtmd_bitmap **bitmaps, size_t n_bitmaps);
int32_t mtmd_encode_chunk(mtmd_context *ctx, const mtmd_input_chunk *chunk);
float *mtmd_get_output_embd(mtmd_context *ctx);
void mtmd_log_set(ggml_log_callback log_callback, void *user_data);

typedef struct {
    struct llama_model *model;
    struct llama_context *ctx;
    mtmd_context *mtmd;
    const struct llama_vocab *vocab;
    int n_ctx;
    int n_embd;
    mtmd_input_chunks *chunks; // of the last mref_tokenize
} mref;

static void mref_log(enum ggml_log_level level, const char *text, void *user) {
    (void) user;
    // MTMD_REF_VERBOSE=1 in the environment shows every message (why a file does not load, say)
    static int verbose = -1;
    if (verbose < 0) {
        const char *v = getenv("MTMD_REF_VERBOSE");
        verbose = v != NULL && v[0] == '1';
    }
    if (level == GGML_LOG_LEVEL_ERROR || verbose) {
        fputs(text, stderr);
    }
}

// 0 when this library's mtmd_context_params has the layout declared above, else the offset that differs + 1.
int mref_check_layout(void) {
    if (sizeof(struct mtmd_context_params) != 80 || offsetof(struct mtmd_context_params, n_threads) != 4
            || offsetof(struct mtmd_context_params, media_marker) != 16
            || offsetof(struct mtmd_context_params, batch_max_tokens) != 56) {
        return 1000;
    }
    unsigned char probe[128];
    memset(probe, 0xAB, sizeof probe);
    struct mtmd_context_params p = mtmd_context_params_default();
    memcpy(probe, &p, sizeof p);
    const char *marker = mtmd_default_marker();
    const char *got_marker;
    memcpy(&got_marker, probe + 16, sizeof got_marker);
    int n_threads;
    memcpy(&n_threads, probe + 4, sizeof n_threads);
    int32_t batch_max;
    memcpy(&batch_max, probe + 56, sizeof batch_max);
    const void *image_marker;
    memcpy(&image_marker, probe + 8, sizeof image_marker);
    if (got_marker != marker) {
        return 17;
    }
    if (image_marker != NULL) {
        return 9;
    }
    if (n_threads <= 0 || n_threads > 1024) {
        return 5;
    }
    if (batch_max <= 0) {
        return 57;
    }
    return 0;
}

// Loads the text model and its mmproj with an f32 KV cache and the plain (non-flash) attention
// paths in both, so that numbers are as exact as the library allows. NULL on failure.
mref *mref_open(const char *model_path, const char *mmproj_path, int n_ctx, int n_threads) {
    llama_log_set(mref_log, NULL);
    mtmd_log_set(mref_log, NULL);
    if (mref_check_layout() != 0) {
        fprintf(stderr, "mtmd_ref: mtmd_context_params layout differs from the declared one\n");
        return NULL;
    }
    llama_backend_init();
    struct llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    struct llama_model *model = llama_model_load_from_file(model_path, mp);
    if (model == NULL) {
        return NULL;
    }
    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = (uint32_t) n_ctx;
    cp.n_batch = (uint32_t) n_ctx;
    cp.n_ubatch = (uint32_t) n_ctx;
    cp.n_seq_max = 1;
    cp.n_threads = n_threads;
    cp.n_threads_batch = n_threads;
    cp.no_perf = true;
    cp.type_k = GGML_TYPE_F32;
    cp.type_v = GGML_TYPE_F32;
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    struct llama_context *ctx = llama_init_from_model(model, cp);
    if (ctx == NULL) {
        llama_model_free(model);
        return NULL;
    }
    struct mtmd_context_params mp2 = mtmd_context_params_default();
    mp2.use_gpu = false;
    mp2.print_timings = false;
    mp2.n_threads = n_threads;
    mp2.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    mp2.warmup = false;
    mtmd_context *mtmd = mtmd_init_from_file(mmproj_path, model, mp2);
    if (mtmd == NULL) {
        llama_free(ctx);
        llama_model_free(model);
        return NULL;
    }
    mref *r = calloc(1, sizeof(mref));
    r->model = model;
    r->ctx = ctx;
    r->mtmd = mtmd;
    r->vocab = llama_model_get_vocab(model);
    r->n_ctx = n_ctx;
    r->n_embd = llama_model_n_embd(model);
    return r;
}

void mref_close(mref *r) {
    if (r == NULL) {
        return;
    }
    if (r->chunks != NULL) {
        mtmd_input_chunks_free(r->chunks);
    }
    mtmd_free(r->mtmd);
    llama_free(r->ctx);
    llama_model_free(r->model);
    free(r);
}

const char *mref_marker(void) {
    return mtmd_default_marker();
}

// Splits a prompt with one media marker per image into chunks; images are packed RGB, sizes[2i]
// by sizes[2i+1] pixels. Returns the number of chunks or a negative mtmd_tokenize status.
int mref_tokenize(mref *r, const char *prompt, const unsigned char *rgb, const int *sizes, int n_images) {
    if (r->chunks != NULL) {
        mtmd_input_chunks_free(r->chunks);
    }
    r->chunks = mtmd_input_chunks_init();
    const mtmd_bitmap *bitmaps[64];
    if (n_images > 64) {
        return -100;
    }
    size_t at = 0;
    for (int i = 0; i < n_images; i++) {
        bitmaps[i] = mtmd_bitmap_init((uint32_t) sizes[2 * i], (uint32_t) sizes[2 * i + 1], rgb + at);
        at += (size_t) sizes[2 * i] * sizes[2 * i + 1] * 3;
    }
    struct mtmd_input_text text = {prompt, strlen(prompt), true, true};
    int32_t rc = mtmd_tokenize(r->mtmd, r->chunks, &text, bitmaps, (size_t) n_images);
    for (int i = 0; i < n_images; i++) {
        mtmd_bitmap_free((mtmd_bitmap *) bitmaps[i]);
    }
    return rc != 0 ? -rc - 1 : (int) mtmd_input_chunks_size(r->chunks);
}

// Like mref_tokenize, with images and audio clips in the order of the prompt's markers:
// kinds[i] is 0 for an image (sizes[2i] by sizes[2i+1] packed RGB pixels taken from rgb) or 1 for
// an audio clip (sizes[2i] mono float samples at mtmd's sample rate taken from pcm, sizes[2i+1]
// ignored). Returns the number of chunks or a negative mtmd_tokenize status (-101: bad kind).
int mref_tokenize_media(mref *r, const char *prompt, const int *kinds, const unsigned char *rgb,
                        const float *pcm, const int *sizes, int n_media) {
    if (r->chunks != NULL) {
        mtmd_input_chunks_free(r->chunks);
    }
    r->chunks = mtmd_input_chunks_init();
    const mtmd_bitmap *bitmaps[64];
    if (n_media > 64) {
        return -100;
    }
    size_t at_rgb = 0;
    size_t at_pcm = 0;
    for (int i = 0; i < n_media; i++) {
        if (kinds[i] == 0) {
            bitmaps[i] = mtmd_bitmap_init((uint32_t) sizes[2 * i], (uint32_t) sizes[2 * i + 1], rgb + at_rgb);
            at_rgb += (size_t) sizes[2 * i] * sizes[2 * i + 1] * 3;
        } else if (kinds[i] == 1) {
            bitmaps[i] = mtmd_bitmap_init_from_audio((size_t) sizes[2 * i], pcm + at_pcm);
            at_pcm += (size_t) sizes[2 * i];
        } else {
            for (int j = 0; j < i; j++) {
                mtmd_bitmap_free((mtmd_bitmap *) bitmaps[j]);
            }
            return -101;
        }
    }
    struct mtmd_input_text text = {prompt, strlen(prompt), true, true};
    int32_t rc = mtmd_tokenize(r->mtmd, r->chunks, &text, bitmaps, (size_t) n_media);
    for (int i = 0; i < n_media; i++) {
        mtmd_bitmap_free((mtmd_bitmap *) bitmaps[i]);
    }
    return rc != 0 ? -rc - 1 : (int) mtmd_input_chunks_size(r->chunks);
}

// What the loaded mmproj supports: bit 0 vision, bit 1 audio; the audio sample rate in *rate (0 without audio).
int mref_caps(mref *r, int *rate) {
    int audio = mtmd_support_audio(r->mtmd);
    *rate = audio ? mtmd_get_audio_sample_rate(r->mtmd) : 0;
    return (mtmd_support_vision(r->mtmd) ? 1 : 0) | (audio ? 2 : 0);
}

// 1 when mtmd decodes chunk i of the last prompt with non-causal attention, else 0.
int mref_chunk_non_causal(mref *r, int i) {
    return mtmd_decode_use_non_causal(r->mtmd, mtmd_input_chunks_get(r->chunks, (size_t) i)) ? 1 : 0;
}

// Encodes image or audio chunk i and copies its n_tokens x n_embd embeddings into out; returns the
// count of floats (-1 for a text chunk, -2 when encoding fails, -3 when out is too small).
int mref_encode_media(mref *r, int i, float *out, long cap) {
    const mtmd_input_chunk *c = mtmd_input_chunks_get(r->chunks, (size_t) i);
    if (mtmd_input_chunk_get_type(c) == MTMD_INPUT_CHUNK_TYPE_TEXT) {
        return -1;
    }
    if (mtmd_encode_chunk(r->mtmd, c) != 0) {
        return -2;
    }
    long n = (long) mtmd_input_chunk_get_n_tokens(c) * r->n_embd;
    if (n > cap) {
        return -3;
    }
    memcpy(out, mtmd_get_output_embd(r->mtmd), sizeof(float) * (size_t) n);
    return (int) n;
}

// Type of chunk i (0 text, 1 image, 2 audio) and its token count in *n.
int mref_chunk(mref *r, int i, int *n) {
    const mtmd_input_chunk *c = mtmd_input_chunks_get(r->chunks, (size_t) i);
    *n = (int) mtmd_input_chunk_get_n_tokens(c);
    return (int) mtmd_input_chunk_get_type(c);
}

// The text tokens of chunk i into out; returns their number.
int mref_chunk_tokens(mref *r, int i, int *out, int cap) {
    size_t n = 0;
    const llama_token *t = mtmd_input_chunk_get_tokens_text(mtmd_input_chunks_get(r->chunks, (size_t) i), &n);
    for (size_t j = 0; j < n && (int) j < cap; j++) {
        out[j] = t[j];
    }
    return (int) n;
}

// Encodes image chunk i and copies its n_tokens x n_embd embeddings into out; returns the count of floats.
int mref_encode(mref *r, int i, float *out, long cap) {
    const mtmd_input_chunk *c = mtmd_input_chunks_get(r->chunks, (size_t) i);
    if (mtmd_input_chunk_get_type(c) != MTMD_INPUT_CHUNK_TYPE_IMAGE) {
        return -1;
    }
    if (mtmd_encode_chunk(r->mtmd, c) != 0) {
        return -2;
    }
    long n = (long) mtmd_input_chunk_get_n_tokens(c) * r->n_embd;
    if (n > cap) {
        return -3;
    }
    memcpy(out, mtmd_get_output_embd(r->mtmd), sizeof(float) * (size_t) n);
    return (int) n;
}

static int argmax(const float *logits, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
        if (logits[i] > logits[best]) {
            best = i;
        }
    }
    return best;
}

// Decodes every chunk of the last mref_tokenize from position 0 (text chunks causally, image and
// audio chunks each as one batch of embeddings, non-causal where mtmd says so), then n_predict greedy tokens
// into out; the logits after the prompt go to first_logits (n_vocab floats) when it is not NULL.
// Returns the number of generated tokens (stopping after an end-of-generation token), or negative.
int mref_generate(mref *r, int n_predict, int *out, float *first_logits) {
    llama_memory_clear(llama_get_memory(r->ctx), true);
    int pos = 0;
    size_t n_chunks = mtmd_input_chunks_size(r->chunks);
    int n_vocab = llama_vocab_n_tokens(r->vocab);
    for (size_t i = 0; i < n_chunks; i++) {
        const mtmd_input_chunk *c = mtmd_input_chunks_get(r->chunks, i);
        int last = i + 1 == n_chunks;
        if (mtmd_input_chunk_get_type(c) == MTMD_INPUT_CHUNK_TYPE_TEXT) {
            size_t n = 0;
            const llama_token *t = mtmd_input_chunk_get_tokens_text(c, &n);
            struct llama_batch b = llama_batch_init((int32_t) n, 0, 1);
            for (size_t j = 0; j < n; j++) {
                b.token[j] = t[j];
                b.pos[j] = pos + (int) j;
                b.n_seq_id[j] = 1;
                b.seq_id[j][0] = 0;
                b.logits[j] = (int8_t) (last && j + 1 == n);
            }
            b.n_tokens = (int32_t) n;
            int rc = llama_decode(r->ctx, b);
            llama_batch_free(b);
            if (rc != 0) {
                return -10 - rc;
            }
            pos += (int) n;
        } else {
            if (mtmd_encode_chunk(r->mtmd, c) != 0) {
                return -2;
            }
            int n = (int) mtmd_input_chunk_get_n_tokens(c);
            float *embd = mtmd_get_output_embd(r->mtmd);
            struct llama_batch b = llama_batch_init(n, r->n_embd, 1);
            memcpy(b.embd, embd, sizeof(float) * (size_t) n * r->n_embd);
            for (int j = 0; j < n; j++) {
                b.pos[j] = pos + j;
                b.n_seq_id[j] = 1;
                b.seq_id[j][0] = 0;
                b.logits[j] = (int8_t) (last && j + 1 == n);
            }
            b.n_tokens = n;
            int non_causal = mtmd_decode_use_non_causal(r->mtmd, c);
            if (non_causal) {
                llama_set_causal_attn(r->ctx, false);
            }
            int rc = llama_decode(r->ctx, b);
            if (non_causal) {
                llama_set_causal_attn(r->ctx, true);
            }
            llama_batch_free(b);
            if (rc != 0) {
                return -20 - rc;
            }
            pos += n;
        }
    }
    const float *logits = llama_get_logits_ith(r->ctx, -1);
    if (first_logits != NULL) {
        memcpy(first_logits, logits, sizeof(float) * (size_t) n_vocab);
    }
    int produced = 0;
    while (produced < n_predict) {
        int tok = argmax(logits, n_vocab);
        out[produced++] = tok;
        if (llama_vocab_is_eog(r->vocab, tok) || produced == n_predict || pos >= r->n_ctx) {
            break;
        }
        struct llama_batch b = llama_batch_get_one(&tok, 1);
        if (llama_decode(r->ctx, b) != 0) {
            return -30;
        }
        pos++;
        logits = llama_get_logits_ith(r->ctx, -1);
    }
    return produced;
}
