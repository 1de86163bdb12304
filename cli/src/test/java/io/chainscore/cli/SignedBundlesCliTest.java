package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.scoring.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #16 item 11 on the command line: keygen, sign, and score --require-signed --trust. */
class SignedBundlesCliTest {
  @TempDir Path dir;

  @Test
  void keygenSignScore_acceptsTheSignedBundle_andRefusesAResealedOne() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 200, 1, "2025-06-30");
    CliRun keygen = CliRun.of("keygen", "--out", dir.resolve("keys/ops").toString());
    assertThat(keygen.code()).as(keygen.err()).isZero();
    CliRun sign = CliRun.of("sign", "--model", model.toString(), "--key", dir.resolve("keys/ops.key").toString());
    assertThat(sign.code()).as(sign.err()).isZero();
    assertThat(dir.resolve("scorecard.json.sig")).exists();
    Path trust = dir.resolve("keys/ops.pub");

    CliRun signed = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        dir.resolve("a.csv").toString(), "--as-of", "2025-06-30", "--require-signed", "--trust", trust.toString(), "--quiet");
    assertThat(signed.code()).as(signed.err()).isZero();
    // the run's manifest names the key that vouched for its model: the first 16 hex digits of the
    // SHA-256 of the public key's DER encoding, recomputed here from the PEM file
    String pem = Files.readString(trust).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    String keyId = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(java.util.Base64.getDecoder().decode(pem))).substring(0, 16);
    assertThat(new ObjectMapper().readTree(dir.resolve("a.csv.manifest.json").toFile()).path("model")
        .path("signature_key_id").asText()).isEqualTo(keyId);

    // base_points changed, golden rows dropped, resealed: the SHA-256 checks out, the signature does not.
    ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(model.toFile());
    ((ObjectNode) tree.get("model")).put("base_points", tree.get("model").get("base_points").asDouble() + 40);
    tree.remove("golden_rows");
    ModelBundle.seal(tree.toString()).write(model);
    CliRun forged = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        dir.resolve("b.csv").toString(), "--as-of", "2025-06-30", "--require-signed", "--trust", trust.toString(), "--quiet");
    assertThat(forged.code()).isEqualTo(2);
    assertThat(forged.err()).startsWith("chainscore score: model file: " + model
        + ": signature.bundle_sha256: the signature is for bundle ");
    assertThat(dir.resolve("b.csv")).doesNotExist();
    // Without --require-signed the resealed bundle still loads: signatures are asked for, not imposed.
    assertThat(CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        dir.resolve("c.csv").toString(), "--as-of", "2025-06-30", "--quiet").code()).isZero();
    assertThat(new ObjectMapper().readTree(dir.resolve("c.csv.manifest.json").toFile()).path("model")
        .path("signature_key_id").asText()).as("no signature checked").isEqualTo("none");

    CliRun bundled = CliRun.of("explain", "--require-signed", "--trust", trust.toString());
    assertThat(bundled.code()).isEqualTo(2);
    assertThat(bundled.err().strip()).isEqualTo("chainscore explain: --require-signed: the bundled model"
        + " smb-supply-chain-scorecard is not signed; give a signed bundle file with --model");
    CliRun noTrust = CliRun.of("explain", "--model", model.toString(), "--require-signed");
    assertThat(noTrust.code()).isEqualTo(2);
    assertThat(noTrust.err().strip()).isEqualTo("chainscore explain: --require-signed needs --trust KEYS (the public keys to accept)");
  }
}
