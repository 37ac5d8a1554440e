package io.tessera.tasks.compiler.spirv;

/**
 * The SPIR-V enumerants this back end writes (SPIR-V 1.0 unified headers; OpenCL.std extended
 * instruction set, version 100).
 */
final class Spv {
    private Spv() {
    }

    // capabilities
    static final int CAP_ADDRESSES = 4;
    static final int CAP_KERNEL = 6;
    static final int CAP_FLOAT16_BUFFER = 8;
    static final int CAP_FLOAT64 = 10;
    static final int CAP_INT64 = 11;
    static final int CAP_INT16 = 22;
    static final int CAP_INT8 = 39;

    static final int ADDRESSING_PHYSICAL64 = 2;
    static final int MEMORY_MODEL_OPENCL = 2;
    static final int EXECUTION_MODEL_KERNEL = 6;
    static final int EXECUTION_MODE_CONTRACTION_OFF = 31;
    static final int SOURCE_OPENCL_C = 3;

    // storage classes
    static final int STORAGE_INPUT = 1;
    static final int STORAGE_WORKGROUP = 4;
    static final int STORAGE_CROSS_WORKGROUP = 5;
    static final int STORAGE_FUNCTION = 7;

    // decorations and built-ins
    static final int DECORATION_BUILTIN = 11;
    static final int DECORATION_CONSTANT = 22;
    static final int BUILTIN_NUM_WORKGROUPS = 24;
    static final int BUILTIN_WORKGROUP_SIZE = 25;
    static final int BUILTIN_WORKGROUP_ID = 26;
    static final int BUILTIN_LOCAL_INVOCATION_ID = 27;
    static final int BUILTIN_GLOBAL_INVOCATION_ID = 28;
    static final int BUILTIN_GLOBAL_SIZE = 31;

    // scopes and memory semantics of barriers
    static final int SCOPE_WORKGROUP = 2;
    static final int SEMANTICS_SEQ_CST = 0x10;
    static final int SEMANTICS_WORKGROUP_MEMORY = 0x100;
    static final int SEMANTICS_CROSS_WORKGROUP_MEMORY = 0x200;

    // opcodes
    static final int OP_SOURCE = 3;
    static final int OP_NAME = 5;
    static final int OP_EXT_INST_IMPORT = 11;
    static final int OP_EXT_INST = 12;
    static final int OP_MEMORY_MODEL = 14;
    static final int OP_ENTRY_POINT = 15;
    static final int OP_EXECUTION_MODE = 16;
    static final int OP_CAPABILITY = 17;
    static final int OP_TYPE_VOID = 19;
    static final int OP_TYPE_BOOL = 20;
    static final int OP_TYPE_INT = 21;
    static final int OP_TYPE_FLOAT = 22;
    static final int OP_TYPE_VECTOR = 23;
    static final int OP_TYPE_ARRAY = 28;
    static final int OP_TYPE_POINTER = 32;
    static final int OP_TYPE_FUNCTION = 33;
    static final int OP_CONSTANT_TRUE = 41;
    static final int OP_CONSTANT_FALSE = 42;
    static final int OP_CONSTANT = 43;
    static final int OP_CONSTANT_NULL = 46;
    static final int OP_FUNCTION = 54;
    static final int OP_FUNCTION_PARAMETER = 55;
    static final int OP_FUNCTION_END = 56;
    static final int OP_FUNCTION_CALL = 57;
    static final int OP_VARIABLE = 59;
    static final int OP_LOAD = 61;
    static final int OP_STORE = 62;
    static final int OP_IN_BOUNDS_ACCESS_CHAIN = 66;
    static final int OP_IN_BOUNDS_PTR_ACCESS_CHAIN = 70;
    static final int OP_DECORATE = 71;
    static final int OP_COMPOSITE_EXTRACT = 81;
    static final int OP_CONVERT_F_TO_S = 110;
    static final int OP_CONVERT_S_TO_F = 111;
    static final int OP_U_CONVERT = 113;
    static final int OP_S_CONVERT = 114;
    static final int OP_F_CONVERT = 115;
    static final int OP_BITCAST = 124;
    static final int OP_S_NEGATE = 126;
    static final int OP_F_NEGATE = 127;
    static final int OP_I_ADD = 128;
    static final int OP_F_ADD = 129;
    static final int OP_I_SUB = 130;
    static final int OP_F_SUB = 131;
    static final int OP_I_MUL = 132;
    static final int OP_F_MUL = 133;
    static final int OP_S_DIV = 135;
    static final int OP_F_DIV = 136;
    static final int OP_S_REM = 138;
    static final int OP_F_REM = 140;
    static final int OP_IS_NAN = 156;
    static final int OP_LOGICAL_EQUAL = 164;
    static final int OP_LOGICAL_NOT_EQUAL = 165;
    static final int OP_LOGICAL_OR = 166;
    static final int OP_LOGICAL_AND = 167;
    static final int OP_LOGICAL_NOT = 168;
    static final int OP_SELECT = 169;
    static final int OP_I_EQUAL = 170;
    static final int OP_I_NOT_EQUAL = 171;
    static final int OP_S_GREATER_THAN = 173;
    static final int OP_S_GREATER_THAN_EQUAL = 175;
    static final int OP_S_LESS_THAN = 177;
    static final int OP_S_LESS_THAN_EQUAL = 179;
    static final int OP_F_ORD_EQUAL = 180;
    static final int OP_F_UNORD_NOT_EQUAL = 183;
    static final int OP_F_ORD_LESS_THAN = 184;
    static final int OP_F_ORD_GREATER_THAN = 186;
    static final int OP_F_ORD_LESS_THAN_EQUAL = 188;
    static final int OP_F_ORD_GREATER_THAN_EQUAL = 190;
    static final int OP_SHIFT_RIGHT_LOGICAL = 194;
    static final int OP_SHIFT_RIGHT_ARITHMETIC = 195;
    static final int OP_SHIFT_LEFT_LOGICAL = 196;
    static final int OP_BITWISE_OR = 197;
    static final int OP_BITWISE_XOR = 198;
    static final int OP_BITWISE_AND = 199;
    static final int OP_NOT = 200;
    static final int OP_CONTROL_BARRIER = 224;
    static final int OP_PHI = 245;
    static final int OP_LOOP_MERGE = 246;
    static final int OP_SELECTION_MERGE = 247;
    static final int OP_LABEL = 248;
    static final int OP_BRANCH = 249;
    static final int OP_BRANCH_CONDITIONAL = 250;
    static final int OP_RETURN = 253;
    static final int OP_RETURN_VALUE = 254;

    // OpenCL.std extended instructions
    static final int CL_CEIL = 12;
    static final int CL_COS = 14;
    static final int CL_EXP = 19;
    static final int CL_FABS = 23;
    static final int CL_FLOOR = 25;
    static final int CL_FMA = 26;
    static final int CL_FMAX = 27;
    static final int CL_FMIN = 28;
    static final int CL_LOG = 37;
    static final int CL_POW = 48;
    static final int CL_RSQRT = 56;
    static final int CL_SIN = 57;
    static final int CL_SQRT = 61;
    static final int CL_TANH = 63;
    static final int CL_S_ABS = 141;
    static final int CL_S_MAX = 156;
    static final int CL_S_MIN = 158;
    static final int CL_VLOAD_HALF = 173;
    static final int CL_VSTORE_HALF = 175;
}
