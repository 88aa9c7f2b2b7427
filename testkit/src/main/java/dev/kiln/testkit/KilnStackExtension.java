package dev.kiln.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link TestStack} parameters (constructor, {@code @BeforeAll}, {@code @BeforeEach}, test
 * methods) for a class annotated {@code @ExtendWith(KilnStackExtension.class)}.
 *
 * <p>One stack per JVM, started on first use and stopped when the test run ends. Each top-level
 * test class (with its {@code @Nested} classes) gets its own database copied from a template
 * migrated once from {@code classpath:db/migration}, a flushed Redis and its own buckets. Because
 * Redis is flushed per class, classes that use Redis must not run concurrently. With {@code
 * -Dkiln.testcontainers=true} and a Docker engine, PostgreSQL 15, Redis 7 and MinIO run in
 * containers instead.
 */
public final class KilnStackExtension implements ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(KilnStackExtension.class);

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == TestStack.class;
  }

  @Override
  public TestStack resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return stackFor(extensionContext);
  }

  /** The stack of the top-level test class that {@code context} belongs to. */
  public static TestStack stackFor(ExtensionContext context) {
    SharedStack shared =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(SharedStack.class, key -> SharedStack.start(), SharedStack.class);
    ExtensionContext classContext = topLevelClass(context);
    String className = classContext.getRequiredTestClass().getName();
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            ClassStack.class, key -> ClassStack.create(shared, className), ClassStack.class);
  }

  private static ExtensionContext topLevelClass(ExtensionContext context) {
    ExtensionContext root = context.getRoot();
    ExtensionContext current = context;
    while (current.getParent().isPresent() && current.getParent().get() != root) {
      current = current.getParent().get();
    }
    return current;
  }
}
