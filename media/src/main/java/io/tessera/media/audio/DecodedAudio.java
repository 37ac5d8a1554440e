package io.tessera.media.audio;

/**
 * Decoded PCM at the file's own rate.
 *
 * @param samples {@code [frames, channels]} interleaved, full scale ±1
 */
public record DecodedAudio(int sampleRate, int channels, float[] samples) {
    public DecodedAudio {
        if (sampleRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("sample rate and channels must be positive");
        }
        if (samples.length % channels != 0) {
            throw new IllegalArgumentException(samples.length + " samples do not divide into " + channels + " channels");
        }
    }

    public int frames() {
        return samples.length / channels;
    }

    public double seconds() {
        return (double) frames() / sampleRate;
    }

    /** The average of the channels. */
    public float[] mono() {
        if (channels == 1) {
            return samples;
        }
        int n = frames();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += samples[i * channels + c];
            }
            out[i] = (float) (sum / channels);
        }
        return out;
    }
}
