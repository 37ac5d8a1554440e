package io.tessera.pipeline.model;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.kernels.ExpertMatVec;

/**
 * The matrices of all experts of one layer stacked in one tensor, [experts][rows][cols] (ggml
 * {@code [cols, rows, experts]}), viewed as one tall {@link Weight} of experts * rows rows so that
 * the storage format stays hidden in the sealed weight types. Only the rows of the experts the
 * router picks are read ({@link ExpertMatVec}).
 *
 * @param stacked (experts * rows, cols)
 * @param experts experts in the stack
 * @param rows    output rows of one expert
 */
public record ExpertMatrix(Weight stacked, int experts, int rows) {
    public ExpertMatrix {
        if (experts <= 0 || rows <= 0 || (long) experts * rows != stacked.rows()) {
            throw new IllegalArgumentException(stacked.name() + ": " + stacked.rows() + " rows are not " + experts
                    + " experts of " + rows);
        }
    }

    public String name() {
        return stacked.name();
    }

    /** Input columns of each expert. */
    public int cols() {
        return stacked.cols();
    }

    /**
     * y[s][rows] = W[ids[s]] x[s / group] for s &lt; slots: the products of the chosen experts, one
     * per (token, choice) slot; {@code group} slots share an input row.
     */
    public void matVec(TaskGraph g, String task, FloatArray x, IntArray ids, FloatArray y, int slots, int group) {
        int k = stacked.cols();
        switch (stacked) {
            case Weight.F32 w -> g.task(task, ExpertMatVec::matVecExpertsF32, w.array(), x, ids, y, slots, group, rows, k);
            case Weight.F16 w -> g.task(task, ExpertMatVec::matVecExpertsF16, w.array(), x, ids, y, slots, group, rows, k);
            case Weight.BF16 w -> g.task(task, ExpertMatVec::matVecExpertsBF16, w.array(), x, ids, y, slots, group, rows,
                    k);
            case Weight.Q8_0 w -> g.task(task, ExpertMatVec::matVecExpertsQ8_0, w.array(), x, ids, y, slots, group, rows,
                    k);
            case Weight.Q4_0 w -> g.task(task, ExpertMatVec::matVecExpertsQ4_0, w.array(), x, ids, y, slots, group, rows,
                    k);
        }
    }
}
