package io.tessera.tasks.compiler.ir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads and writes the IR resource of a kernel, {@code a/b/C.method.kir} beside {@code a/b/C.class}.
 *
 * <p>Format: the magic {@code TKIR}, a format version ({@code int}), then the {@link KernelIr}
 * record tree in Java serialisation (records serialise through their canonical constructors, so
 * the validation in them runs again on load). Reading is limited to IR types, boxed primitives,
 * strings, enums and immutable lists.
 */
public final class KernelIrStore {
    /** Bumped whenever a record of the IR changes shape. */
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'T', 'K', 'I', 'R'};
    private static final Set<String> VALUE_CLASSES = Set.of("java.lang.Boolean", "java.lang.Integer",
            "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number", "java.lang.String",
            "java.lang.Enum", "java.lang.Record", "java.lang.Object", "java.util.CollSer");

    private KernelIrStore() {
    }

    /** The resource name of the IR of {@code methodName} in the class with binary name {@code ownerClass}. */
    public static String resourceName(String ownerClass, String methodName) {
        return ownerClass.replace('.', '/') + "." + methodName + ".kir";
    }

    /** The file name, relative to the package directory, of the IR resource. */
    public static String relativeName(String ownerClass, String methodName) {
        return ownerClass.substring(ownerClass.lastIndexOf('.') + 1) + "." + methodName + ".kir";
    }

    public static KernelIr load(Method kernel) {
        return load(kernel.getDeclaringClass(), kernel.getName());
    }

    /** The IR of kernel {@code methodName} of {@code owner}, from the resource beside its class. */
    public static KernelIr load(Class<?> owner, String methodName) {
        String kernel = owner.getName() + "." + methodName;
        String resource = "/" + resourceName(owner.getName(), methodName);
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new KernelIrException("kernel " + kernel
                        + " has no IR: was its module compiled with -Xplugin:TesseraKernels?");
            }
            return decode(in.readAllBytes(), kernel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the IR of kernel " + kernel, e);
        }
    }

    public static byte[] encode(KernelIr ir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.write(MAGIC);
            data.writeInt(FORMAT_VERSION);
            try (ObjectOutputStream out = new ObjectOutputStream(data)) {
                out.writeObject(ir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the IR of kernel " + ir.qualifiedName(), e);
        }
        return bytes.toByteArray();
    }

    /** Decodes an IR resource; {@code kernel} names it in errors. */
    public static KernelIr decode(byte[] bytes, String kernel) {
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte[] magic = data.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new KernelIrException("the IR resource of kernel " + kernel + " is not a kernel IR file");
            }
            int version = data.readInt();
            if (version != FORMAT_VERSION) {
                throw new KernelIrException("the IR of kernel " + kernel + " has format version " + version
                        + ", this compiler reads version " + FORMAT_VERSION + ": rebuild the kernel's module");
            }
            try (ObjectInputStream in = new ObjectInputStream(data)) {
                in.setObjectInputFilter(KernelIrStore::allowed);
                return (KernelIr) in.readObject();
            }
        } catch (IOException | ClassNotFoundException | ClassCastException | IllegalArgumentException e) {
            throw new KernelIrException("the IR of kernel " + kernel + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static ObjectInputFilter.Status allowed(ObjectInputFilter.FilterInfo info) {
        Class<?> c = info.serialClass();
        if (c == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        if (c.isArray()) {
            c = c.getComponentType();
        }
        String name = c.getName();
        boolean ok = c.isPrimitive() || c.isEnum() || c.getPackageName().equals(KernelIrStore.class.getPackageName())
                || VALUE_CLASSES.contains(name) || name.startsWith("java.util.ImmutableCollections$");
        return ok ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    }
}
