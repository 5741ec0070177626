package dev.sigil.verifier.internal.faststart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The half of the fast-start fence that forbiddenapis cannot see (its signatures are in src/build/): no class of the
 * fenced package has an {@code invokedynamic} call site. Lambdas, method references and record methods would each
 * link through {@code java.lang.invoke} on first use, which costs a one-shot process more than the call itself
 * (string concatenation is compiled inline for the whole build). Read from the compiled class files' constant pools:
 * an invokedynamic instruction needs a {@code CONSTANT_InvokeDynamic} entry, a dynamic constant a {@code
 * CONSTANT_Dynamic} one.
 */
class FenceTest {
  private static final int CONSTANT_DYNAMIC = 17;
  private static final int CONSTANT_INVOKE_DYNAMIC = 18;

  @Test
  void noClassOfTheFencedPackageUsesInvokedynamic() throws Exception {
    List<String> offenders = new ArrayList<>();
    int classes = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(packageDirectory(), "*.class")) {
      for (Path f : files) {
        classes++;
        try (InputStream in = Files.newInputStream(f)) {
          int dynamic = dynamicEntries(in);
          if (dynamic > 0) {
            offenders.add(f.getFileName() + " (" + dynamic + " invokedynamic constant(s))");
          }
        }
      }
    }
    assertTrue(classes >= 10, "expected the fenced package's classes, found " + classes);
    assertEquals(List.of(), offenders, "lambdas, method references or records in the fenced package");
  }

  @Test
  void theCheckSeesALambda() throws Exception {
    try (InputStream in = FenceTest.class.getResourceAsStream("FenceTest.class")) {
      assertTrue(dynamicEntries(in) > 0, "this test class has a lambda below; the scan must find it");
    }
    Runnable r = () -> {};
    r.run();
  }

  private static Path packageDirectory() throws URISyntaxException {
    return Path.of(FastStartBackend.class.getResource("FastStartBackend.class").toURI()).getParent();
  }

  /** How many CONSTANT_InvokeDynamic and CONSTANT_Dynamic entries the class file's constant pool holds (JVMS 4.4). */
  static int dynamicEntries(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    int dynamic = 0;
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> in.skipBytes(in.readUnsignedShort()); // Utf8
        case 3, 4 -> in.skipBytes(4); // Integer, Float
        case 5, 6 -> { // Long, Double: two slots
          in.skipBytes(8);
          i++;
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2); // Class, String, MethodType, Module, Package
        case 9, 10, 11, 12 -> in.skipBytes(4); // Fieldref, Methodref, InterfaceMethodref, NameAndType
        case 15 -> in.skipBytes(3); // MethodHandle
        case CONSTANT_DYNAMIC, CONSTANT_INVOKE_DYNAMIC -> {
          in.skipBytes(4);
          dynamic++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return dynamic;
  }
}
