package io.tessera.media.audio;

/**
 * Triangular mel filters over the {@code nFft/2 + 1} bins of a real FFT, in the construction shared
 * by librosa and HF {@code mel_filter_bank}: {@code nMels + 2} points equally spaced on the mel
 * scale between {@code fMin} and {@code fMax}; filter m rises from point m to m+1 and falls to m+2,
 * evaluated at the bin frequencies {@code k·sr/nFft}.
 */
public final class MelFilterBank {
    /** The mel scale. */
    public enum Scale {
        /** {@code 2595·log10(1 + f/700)}. */
        HTK,
        /** Slaney (Auditory Toolbox): linear below 1 kHz (3 mels per 200 Hz), logarithmic above. */
        SLANEY
    }

    /** {@code [nMels][nFreq]} weights. */
    private final double[][] weights;
    private final int[] firstBin;
    private final int[] lastBin;

    public MelFilterBank(int nFreq, int sampleRate, double fMin, double fMax, int nMels, Scale scale, boolean slaneyNorm) {
        weights = new double[nMels][nFreq];
        firstBin = new int[nMels];
        lastBin = new int[nMels];
        double melMin = hzToMel(fMin, scale);
        double melMax = hzToMel(fMax, scale);
        double[] points = new double[nMels + 2];
        for (int i = 0; i < nMels + 2; i++) {
            points[i] = melToHz(melMin + (melMax - melMin) * i / (nMels + 1), scale);
        }
        double nyquist = sampleRate / 2.0;
        for (int m = 0; m < nMels; m++) {
            double lower = points[m];
            double center = points[m + 1];
            double upper = points[m + 2];
            double norm = slaneyNorm ? 2.0 / (upper - lower) : 1.0;
            firstBin[m] = nFreq;
            lastBin[m] = -1;
            for (int k = 0; k < nFreq; k++) {
                double f = nyquist * k / (nFreq - 1);
                double down = (f - lower) / (center - lower);
                double up = (upper - f) / (upper - center);
                double w = Math.max(0, Math.min(down, up)) * norm;
                weights[m][k] = w;
                if (w != 0) {
                    firstBin[m] = Math.min(firstBin[m], k);
                    lastBin[m] = k;
                }
            }
        }
    }

    public int melBins() {
        return weights.length;
    }

    /** {@code mel[m] = Σ_k spectrum[k] · w[m][k]}. */
    public void apply(double[] spectrum, double[] mel) {
        for (int m = 0; m < weights.length; m++) {
            double acc = 0;
            double[] w = weights[m];
            for (int k = firstBin[m]; k <= lastBin[m]; k++) {
                acc += spectrum[k] * w[k];
            }
            mel[m] = acc;
        }
    }

    /** Weight of bin {@code k} in filter {@code m}. */
    public double weight(int m, int k) {
        return weights[m][k];
    }

    static double hzToMel(double f, Scale scale) {
        if (scale == Scale.HTK) {
            return 2595.0 * Math.log10(1.0 + f / 700.0);
        }
        double fSp = 200.0 / 3;
        double minLogHz = 1000.0;
        double minLogMel = minLogHz / fSp;
        double logStep = Math.log(6.4) / 27.0;
        return f >= minLogHz ? minLogMel + Math.log(f / minLogHz) / logStep : f / fSp;
    }

    static double melToHz(double mel, Scale scale) {
        if (scale == Scale.HTK) {
            return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        }
        double fSp = 200.0 / 3;
        double minLogHz = 1000.0;
        double minLogMel = minLogHz / fSp;
        double logStep = Math.log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.exp(logStep * (mel - minLogMel)) : fSp * mel;
    }
}
