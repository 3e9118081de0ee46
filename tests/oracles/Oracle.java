// The engines API Gateway is built on, as an oracle for the emulator: Apache Velocity 1.7 with an
// $input, $util and $context shaped like API Gateway's (escapeJavaScript from Commons Lang 2),
// java.util.regex through java.lang.String, and Jayway JsonPath. Compiled at test time by
// tests/oracles/java-oracle.ts. One request per stdin line, one answer per stdout line, both JSON:
//   {"op":"velocity","template":…,"body":…,"params":{…},"context":{…},"stageVariables":{…},"nulls":"aws"|"stock"}
//   {"op":"regex","method":"matches"|"replaceAll"|"replaceFirst"|"split","text":…,"pattern":…,"replacement":…,"limit":n}
//   {"op":"jsonpath","json":…,"path":…}
// Answers are {"ok":value} or {"error":"ExceptionClass: message"}; every non-ASCII character is
// written as \\uXXXX so that lone surrogates and the platform's encoding cannot change an answer.
import java.io.*;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.*;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import org.apache.commons.lang.StringEscapeUtils;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;

public class Oracle {
  public static void main(String[] args) throws Exception {
    VelocityEngine engine = new VelocityEngine();
    engine.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
    engine.init();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "US-ASCII");
    String line;
    while ((line = in.readLine()) != null) {
      String answer;
      try {
        answer = "{\"ok\":" + json(answer(engine, (Map<?, ?>) parse(line))) + "}";
      } catch (Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) cause = cause.getCause();
        answer = "{\"error\":" + json(cause.getClass().getSimpleName() + ": " + cause.getMessage()) + "}";
      }
      out.println(answer);
      out.flush();
    }
  }

  /** The requests' JSON, read with maps in their written order ($input.params() iterates them). */
  static Object parse(String text) {
    int[] at = {0};
    Object value = read(text, at);
    if (at[0] != text.length()) throw new IllegalArgumentException("trailing text in request");
    return value;
  }

  static Object read(String s, int[] at) {
    char c = s.charAt(at[0]);
    if (c == '{') {
      Map<String, Object> map = new LinkedHashMap<String, Object>();
      at[0]++;
      while (s.charAt(at[0]) != '}') {
        if (s.charAt(at[0]) == ',') at[0]++;
        String key = (String) read(s, at);
        at[0]++; // the colon: Node writes no spaces
        map.put(key, read(s, at));
      }
      at[0]++;
      return map;
    }
    if (c == '[') {
      List<Object> list = new ArrayList<Object>();
      at[0]++;
      while (s.charAt(at[0]) != ']') {
        if (s.charAt(at[0]) == ',') at[0]++;
        list.add(read(s, at));
      }
      at[0]++;
      return list;
    }
    if (c == '"') {
      StringBuilder b = new StringBuilder();
      for (at[0]++; s.charAt(at[0]) != '"'; at[0]++) {
        char ch = s.charAt(at[0]);
        if (ch != '\\') {
          b.append(ch);
          continue;
        }
        char e = s.charAt(++at[0]);
        if (e == 'u') {
          b.append((char) Integer.parseInt(s.substring(at[0] + 1, at[0] + 5), 16));
          at[0] += 4;
        } else {
          b.append(e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == 'b' ? '\b' : e == 'f' ? '\f' : e);
        }
      }
      at[0]++;
      return b.toString();
    }
    int start = at[0];
    while (at[0] < s.length() && ",]}".indexOf(s.charAt(at[0])) < 0) at[0]++;
    String word = s.substring(start, at[0]);
    if (word.equals("null")) return null;
    if (word.equals("true") || word.equals("false")) return Boolean.valueOf(word);
    return word.contains(".") || word.contains("e") ? (Object) Double.valueOf(word) : (Object) Long.valueOf(word);
  }

  static Object answer(VelocityEngine engine, Map<?, ?> request) throws Exception {
    String op = (String) request.get("op");
    if (op.equals("velocity")) return velocity(engine, request);
    if (op.equals("regex")) return regex(request);
    if (op.equals("jsonpath")) return new Input((String) request.get("json"), new LinkedHashMap<String, Object>()).path((String) request.get("path"));
    throw new IllegalArgumentException("unknown op " + op);
  }

  static Object regex(Map<?, ?> r) {
    String text = (String) r.get("text");
    String pattern = (String) r.get("pattern");
    String method = (String) r.get("method");
    if (method.equals("matches")) return text.matches(pattern);
    if (method.equals("replaceAll")) return text.replaceAll(pattern, (String) r.get("replacement"));
    if (method.equals("replaceFirst")) return text.replaceFirst(pattern, (String) r.get("replacement"));
    if (method.equals("split")) return Arrays.asList(text.split(pattern, ((Number) r.get("limit")).intValue()));
    throw new IllegalArgumentException("unknown regex method " + method);
  }

  @SuppressWarnings("unchecked")
  static Object velocity(VelocityEngine engine, Map<?, ?> r) throws Exception {
    Map<String, Object> responseOverride = new LinkedHashMap<String, Object>();
    responseOverride.put("header", new LinkedHashMap<String, Object>());
    Map<String, Object> context = new LinkedHashMap<String, Object>((Map<String, Object>) r.get("context"));
    context.put("responseOverride", responseOverride);
    VelocityContext vc = new VelocityContext();
    vc.put("input", new Input((String) r.get("body"), (Map<String, Object>) r.get("params")));
    vc.put("util", new Util());
    vc.put("context", context);
    vc.put("stageVariables", new LinkedHashMap<String, Object>((Map<String, Object>) r.get("stageVariables")));
    // API Gateway renders a null or missing reference as nothing; stock Velocity prints it as written.
    if ("aws".equals(r.get("nulls"))) {
      EventCartridge cartridge = new EventCartridge();
      cartridge.addEventHandler(new ReferenceInsertionEventHandler() {
        public Object referenceInsert(String reference, Object value) {
          return value == null ? "" : value;
        }
      });
      cartridge.attachToContext(vc);
    }
    StringWriter writer = new StringWriter();
    engine.evaluate(vc, writer, "template", (String) r.get("template"));
    Map<String, Object> result = new LinkedHashMap<String, Object>();
    result.put("output", writer.toString());
    result.put("status", responseOverride.get("status") == null ? null : String.valueOf(responseOverride.get("status")));
    Map<String, Object> headers = new LinkedHashMap<String, Object>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) responseOverride.get("header")).entrySet()) {
      if (e.getValue() != null) headers.put(e.getKey(), String.valueOf(e.getValue()));
    }
    result.put("headers", headers);
    return result;
  }

  /** $input: the payload, JSONPath into it, and the request parameters. */
  public static class Input {
    private final String body;
    private final Map<String, Object> params;
    private Object document;

    Input(String body, Map<String, Object> params) {
      this.body = body;
      this.params = params;
    }

    // API Gateway hands an empty body to templates as "{}" (recorded: tests/conformance/input-body.json).
    public String getBody() {
      return body.isEmpty() ? "{}" : body;
    }

    private Object document() throws Exception {
      if (document == null) document = Configuration.defaultConfiguration().jsonProvider().parse(body.trim().isEmpty() ? "{}" : body);
      return document;
    }

    public Object path(String path) throws Exception {
      return JsonPath.using(Configuration.defaultConfiguration().addOptions(Option.SUPPRESS_EXCEPTIONS)).parse(document()).read(path);
    }

    public String json(String path) throws Exception {
      Object value = path(path);
      return value == null ? "" : Oracle.json(value);
    }

    public Map<String, Object> params() {
      return params;
    }

    @SuppressWarnings("unchecked")
    public String params(String name) {
      for (String kind : new String[] {"path", "querystring"}) {
        Map<String, Object> values = (Map<String, Object>) params.get(kind);
        if (values.containsKey(name)) return (String) values.get(name);
      }
      for (Map.Entry<String, Object> e : ((Map<String, Object>) params.get("header")).entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) return (String) e.getValue();
      }
      return "";
    }
  }

  /** $util as API Gateway documents it. */
  public static class Util {
    public String escapeJavaScript(String text) {
      return StringEscapeUtils.escapeJavaScript(text);
    }

    public String base64Encode(String text) {
      return text == null ? null : Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public String base64Decode(String text) {
      return text == null ? null : new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }

    public String urlEncode(String text) throws Exception {
      return text == null ? null : URLEncoder.encode(text, "UTF-8");
    }

    public String urlDecode(String text) throws Exception {
      return text == null ? null : URLDecoder.decode(text, "UTF-8");
    }

    public Object parseJson(String text) {
      return Configuration.defaultConfiguration().jsonProvider().parse(text);
    }
  }

  static String json(Object value) {
    if (value == null) return "null";
    if (value instanceof Boolean || value instanceof Number) return value.toString();
    if (value instanceof Map) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (b.length() > 1) b.append(',');
        b.append(json(String.valueOf(e.getKey()))).append(':').append(json(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (value instanceof List) {
      StringBuilder b = new StringBuilder("[");
      for (Object item : (List<?>) value) {
        if (b.length() > 1) b.append(',');
        b.append(json(item));
      }
      return b.append(']').toString();
    }
    String text = value.toString();
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
