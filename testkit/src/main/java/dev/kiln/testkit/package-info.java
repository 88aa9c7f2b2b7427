/**
 * JUnit 5 support for tests against real services.
 *
 * <pre>{@code
 * @ExtendWith(KilnStackExtension.class)
 * class JobDaoIT {
 *   @Test
 *   void insertsAJob(TestStack stack) {
 *     Jdbi jdbi = Jdbi.create(stack.dataSource()); // this class's own, migrated database
 *     stack.s3Client().putObject(b -> b.bucket(stack.uploadsBucket()).key("in"), body);
 *   }
 * }
 * }</pre>
 *
 * <p>Migrations come from {@code classpath:db/migration}, applied once per JVM to a template
 * database. Run with {@code -Dkiln.testcontainers=true} to use Docker images where Docker is
 * available. A {@code main} method (a benchmark) gets the same stack from {@link StandaloneStack};
 * code that takes a {@link java.time.Clock} gets one tests move by hand from {@link SettableClock}.
 */
package dev.kiln.testkit;
