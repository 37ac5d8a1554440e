/**
 * Hugging Face safetensors files, memory-mapped and validated: {@link io.tessera.pipeline.safetensors.SafetensorsFile}
 * for one file, {@link io.tessera.pipeline.safetensors.SafetensorsCheckpoint} for a model directory (single file or
 * shards with an index).
 */
package io.tessera.pipeline.safetensors;
