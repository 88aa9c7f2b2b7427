package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.InvalidValueException;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
  private static final PasswordPolicy POLICY = PasswordPolicy.shipped();

  @Test
  void shipsTenThousandCommonPasswords() {
    assertThat(POLICY.commonCount()).isEqualTo(10_000);
  }

  @Test
  void refusesCommonPasswordsWhateverTheirCase() {
    for (String common :
        new String[] {"qwertyuiop", "Password123", " 1234567890 ", "QAZWSXEDCRFV"}) {
      assertThatThrownBy(() -> POLICY.check(common, "password"))
          .as(common)
          .isInstanceOf(InvalidValueException.class)
          .hasMessageContaining("most common passwords")
          .hasMessageContaining("choose another");
    }
  }

  @Test
  void refusesShortAndBlankPasswords() {
    assertThatThrownBy(() -> POLICY.check("nine char", "password"))
        .hasMessageContaining("at least 10 characters");
    assertThatThrownBy(() -> POLICY.check(" ".repeat(12), "newPassword"))
        .hasMessageContaining("'newPassword' is only white space");
    assertThatThrownBy(() -> POLICY.check("\t \u00a0 \u2003 \u3000 \t  ", "password"))
        .hasMessageContaining("white space");
  }

  @Test
  void acceptsAnUncommonPassphrase() {
    assertThatCode(() -> POLICY.check("copper kettle under moonlight", "password"))
        .doesNotThrowAnyException();
  }
}
