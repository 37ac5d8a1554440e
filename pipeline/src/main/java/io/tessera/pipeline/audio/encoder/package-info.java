/**
 * Audio encoders behind one seam, {@link io.tessera.pipeline.audio.encoder.AudioEncoder}: 16 kHz
 * mono samples in, soft tokens of the text model's width out. One implementation per
 * {@code clip.audio.projector_type} of an mmproj file ({@link io.tessera.pipeline.audio.encoder.AudioProjectorType}).
 */
package io.tessera.pipeline.audio.encoder;
