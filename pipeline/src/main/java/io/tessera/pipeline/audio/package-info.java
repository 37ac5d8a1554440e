/**
 * Audio front ends as task graphs: the media module's log-mel extractors (Gemma 3n, Gemma 4,
 * Whisper) run as STFT and mel kernels of {@code io.tessera.tasks.kernels.Audio} on any device, with
 * the extractor's own parameters (window, frame and hop sizes, mel matrix, log rule) and the same
 * chunking, padding and masks.
 */
package io.tessera.pipeline.audio;
