package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Names and e-mail addresses with control or text-direction characters are refused with 422. */
@ExtendWith(KilnStackExtension.class)
class NameCharactersIT {
  /** Every bidirectional control, a C0 and a C1 control, and the line separator. */
  private static final List<Integer> REFUSED =
      List.of(
          0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F,
          0x061C, 0x0007, 0x0085, 0x2028);

  private static ApiHarness api;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String with(int codePoint, String before, String after) {
    return before + new String(Character.toChars(codePoint)) + after;
  }

  @Test
  void fileAndKeyNamesWithControlCharactersAreRefused() {
    String token = api.newUser();
    for (int cp : REFUSED) {
      String hex = Integer.toHexString(cp);
      Answer file =
          api.post(
              "/api/v1/files",
              token,
              Map.of("name", with(cp, "invoice", "fdp.exe"), "sizeBytes", 10));
      assertThat(file.status()).as("file name with U+%s", hex).isEqualTo(422);
      assertThat(file.contentType()).startsWith("application/problem+json");
      assertThat(file.text("detail")).contains("'name'").contains("remove them");

      Answer key =
          api.post("/api/v1/account/api-keys", token, Map.of("name", with(cp, "ci ", "key")));
      assertThat(key.status()).as("key name with U+%s", hex).isEqualTo(422);
    }
    assertThat(api.get("/api/v1/files", token).body().get("items")).isEmpty();
    assertThat(api.get("/api/v1/account/api-keys", token).body()).isEmpty();
  }

  @Test
  void eMailAddressesWithControlCharactersAreRefused() {
    for (int cp : REFUSED) {
      String email = with(cp, "user-" + UUID.randomUUID(), "@example.com");
      Answer signup =
          api.post(
              "/api/v1/auth/signup", null, Map.of("email", email, "password", ApiHarness.PASSWORD));
      assertThat(signup.status()).as("e-mail with U+%s", Integer.toHexString(cp)).isEqualTo(422);
      assertThat(signup.text("detail")).contains("'email'");
    }
  }

  @Test
  void ordinaryUnicodeNamesAreKept() {
    String token = api.newUser();
    Answer file =
        api.post("/api/v1/files", token, Map.of("name", "données-été 日本.csv", "sizeBytes", 10));
    assertThat(file.status()).isEqualTo(201);
    assertThat(file.text("name")).isEqualTo("données-été 日本.csv");
  }
}
