package io.tessera.tasks.runtime.opencl;

/** The code an OpenCL backend hands its driver. */
public enum ClTarget {
    /** OpenCL C from the OpenCL C back end (or hand-written), compiled by the driver. */
    OPENCL_C("OpenCL C"),
    /** SPIR-V from the SPIR-V back end, ingested by the driver ({@code clCreateProgramWithIL}). */
    SPIRV_IL("SPIR-V"),
    /**
     * SPIR-V from the SPIR-V back end, translated to SPIR 1.2 by {@code llvm-spirv -r} and loaded
     * as a binary ({@code cl_khr_spir}), for drivers that cannot ingest SPIR-V.
     */
    SPIRV_VIA_SPIR12("SPIR-V (through SPIR 1.2)");

    private final String description;

    ClTarget(String description) {
        this.description = description;
    }

    /** For messages: {@code OpenCL C}, {@code SPIR-V}. */
    public String description() {
        return description;
    }
}
