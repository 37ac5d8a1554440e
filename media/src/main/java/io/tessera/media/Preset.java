package io.tessera.media;

import io.tessera.media.audio.FeatureExtractor;
import io.tessera.media.image.ImagePreprocessing;
import io.tessera.media.video.VideoSampling;

/**
 * What one model family's preprocessors do, as data. Any part may be {@code null} when the model
 * has no such input.
 *
 * @param image       still images
 * @param videoFrames each sampled video frame
 * @param video       which frames of a video are taken
 * @param audio       the audio front end
 */
public record Preset(String name, ImagePreprocessing image, ImagePreprocessing videoFrames, VideoSampling video,
                     FeatureExtractor audio) {}
