package io.tessera.tasks.api;

import io.tessera.tasks.api.spi.PlanExecutor;
import java.util.List;
import java.util.Optional;

/** What one {@link ExecutionPlan#execute()} returns: the profile, and on-demand copies to the host. */
public final class ExecutionResult {
    private final PlanExecutor executor;
    private final ExecutionProfile profile;

    ExecutionResult(PlanExecutor executor, ExecutionProfile profile) {
        this.executor = executor;
        this.profile = profile;
    }

    /** The profile, present when the plan was built {@link ExecutionPlan#withProfiler()}. */
    public Optional<ExecutionProfile> profile() {
        return Optional.ofNullable(profile);
    }

    /** Copies {@link DataTransferMode#UNDER_DEMAND} results (or any device-held array) to the host now. */
    public TransferStats transferToHost(TypedArray... arrays) {
        return executor.transferToHost(List.of(arrays));
    }
}
