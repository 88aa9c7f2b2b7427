package dev.kiln.testkit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KilnStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KilnStackIsolationIT extends IsolationContract {

  private TestStack stack;

  @BeforeAll
  void leaveTraces(TestStack stack) throws Exception {
    this.stack = stack;
    leaveTraces(stack, KilnStackIsolationIT.class);
  }

  @Override
  TestStack stack() {
    return stack;
  }
}
