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
 * available.
 */
package dev.kiln.testkit;
