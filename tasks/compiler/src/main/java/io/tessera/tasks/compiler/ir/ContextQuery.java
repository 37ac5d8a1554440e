package io.tessera.tasks.compiler.ir;

/** The index-space queries of {@code KernelContext}, each an {@code int} of one dimension. */
public enum ContextQuery {
    GLOBAL_ID("globalId", "get_global_id"), LOCAL_ID("localId", "get_local_id"),
    GROUP_ID("groupId", "get_group_id"), GLOBAL_SIZE("globalSize", "get_global_size"),
    LOCAL_SIZE("localSize", "get_local_size"), NUM_GROUPS("numGroups", "get_num_groups");

    private final String javaMethod;
    private final String openCl;

    ContextQuery(String javaMethod, String openCl) {
        this.javaMethod = javaMethod;
        this.openCl = openCl;
    }

    public String javaMethod() {
        return javaMethod;
    }

    /** The OpenCL C built-in function. */
    public String openCl() {
        return openCl;
    }

    /** The query for a {@code KernelContext} method name, or null. */
    public static ContextQuery lookup(String javaMethod) {
        for (ContextQuery q : values()) {
            if (q.javaMethod.equals(javaMethod)) {
                return q;
            }
        }
        return null;
    }
}
