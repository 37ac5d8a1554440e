package io.tessera.tasks.api;

/**
 * When a declared transfer between host and device happens.
 *
 * <ul>
 *   <li>{@link #FIRST_EXECUTION}: on the first execution of the graph in its plan only (weights,
 *       constants); later executions reuse the device copy.</li>
 *   <li>{@link #EVERY_EXECUTION}: on every execution (inputs that change per call, results).</li>
 *   <li>{@link #UNDER_DEMAND}: never by itself; only when asked for through
 *       {@link ExecutionPlan#transferToDevice} or {@link ExecutionResult#transferToHost}.</li>
 * </ul>
 */
public enum DataTransferMode {
    FIRST_EXECUTION,
    EVERY_EXECUTION,
    UNDER_DEMAND
}
