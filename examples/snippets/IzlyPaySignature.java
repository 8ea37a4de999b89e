import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the Izly-Pay-Signature header of a request from {@code izly-pay serve} (order callout or webhook):
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the signing secret>}. Java 17, no
 * dependency.
 *
 * <pre>{@code
 * // Spring: @PostMapping("/izly-webhook") ResponseEntity<?> webhook(@RequestBody byte[] body,
 * //     @RequestHeader(value = "Izly-Pay-Signature", required = false) String signature)
 * String problem = IzlyPaySignature.problem(secret, signature, body, Instant.now().getEpochSecond());
 * if (problem != null) return ResponseEntity.status(401).build();
 * }</pre>
 *
 * Check the raw body as received, before parsing it; then, for a webhook, refuse an event id already
 * processed. Run as a program (the project's tests do): {@code java IzlyPaySignature SECRET HEADER BODY_FILE NOW}
 * prints "ok" or the problem.
 */
public final class IzlyPaySignature {
  public static final long TOLERANCE_SECONDS = 300;

  private IzlyPaySignature() {}

  /** Null when the header signs the body near {@code now}; else "missing", "malformed", "stale" or "mismatch". */
  public static String problem(String secret, String header, byte[] body, long now) throws Exception {
    if (header == null || header.isEmpty()) return "missing";
    List<String> timestamps = new ArrayList<>();
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      String[] pair = part.trim().split("=", 2);
      if (pair.length != 2) continue;
      if (pair[0].equals("t")) timestamps.add(pair[1]);
      else if (pair[0].equals("v1")) signatures.add(pair[1]);
    }
    if (timestamps.size() != 1 || !timestamps.get(0).matches("\\d{1,12}") || signatures.isEmpty()) return "malformed";
    long timestamp = Long.parseLong(timestamps.get(0));
    if (Math.abs(now - timestamp) > TOLERANCE_SECONDS) return "stale";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamps.get(0) + ".").getBytes(StandardCharsets.UTF_8));
    byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
    for (String signature : signatures) {
      // MessageDigest.isEqual takes the same time wherever the arrays differ.
      if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) return null;
    }
    return "mismatch";
  }

  public static void main(String[] args) throws Exception {
    String problem = problem(args[0], args[1], Files.readAllBytes(Path.of(args[2])), Long.parseLong(args[3]));
    System.out.println(problem == null ? "ok" : problem);
  }
}
