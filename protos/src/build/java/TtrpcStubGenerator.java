import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a Java interface and client for every {@code service} block of the .proto files below
 * the given roots, wired to ttrpc-java (io.javarun.ttrpc), so that no one registers handlers by
 * "service/method" strings.
 *
 * <pre>java TtrpcStubGenerator.java --out DIR ROOT...</pre>
 *
 * Run at generate-sources with the JDK's source launcher (one file, JDK only), because protoc's
 * Java output has no services and grpc-java's plugin would bring gRPC, which ttrpc is not. It reads
 * just what it needs from the .proto text: package, imports, the java_package /
 * java_multiple_files / java_outer_classname options, message names (to map rpc types to Java
 * classes) and rpc declarations. protoc still compiles the same files, so anything this reader
 * lets through that is not valid proto fails there. Streaming rpcs are refused: ttrpc-java serves
 * unary calls only.
 *
 * For {@code service S} in java package P it writes P.SService with String NAME, one method per rpc
 * (lowerCamelCase), static register(server[, serviceName], impl) and a nested Client. Files whose
 * text is unchanged are not rewritten (the compiler then sees nothing stale); .java files in DIR
 * it no longer produces are deleted.
 */
public final class TtrpcStubGenerator {

    /** A mistake in the input or the arguments: reported as one line, exit status 1. */
    static final class GeneratorException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GeneratorException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (GeneratorException e) {
            System.err.println("TtrpcStubGenerator: " + e.getMessage());
            System.exit(1);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("TtrpcStubGenerator: " + e);
            System.exit(1);
        }
    }

    static void run(String[] args) throws IOException {
        Path out = null;
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].startsWith("-")) {
                throw new GeneratorException("unknown option " + args[i]);
            } else {
                roots.add(Path.of(args[i]));
            }
        }
        if (out == null || roots.isEmpty()) {
            throw new GeneratorException("usage: java TtrpcStubGenerator.java --out DIR ROOT...");
        }
        ProtoLoader loader = new ProtoLoader(roots);
        Map<Path, String> sources = new TreeMap<>();
        Map<Path, String> producedBy = new HashMap<>();
        for (String rel : loader.allFiles()) {
            ProtoFile file = loader.load(rel, null);
            for (Service s : file.services()) {
                JavaNames names = new JavaNames(file, loader);
                String text = Emitter.emit(file, s, names);
                Path target = out.resolve(names.javaPackage().replace('.', '/')).resolve(s.javaName() + ".java");
                String earlier = producedBy.putIfAbsent(target, rel + ":" + s.line());
                if (earlier != null) {
                    throw new GeneratorException(rel + ":" + s.line() + ": service " + s.name() + " would write "
                            + out.relativize(target) + ", as the service at " + earlier + " does");
                }
                sources.put(target, text);
            }
        }
        write(out, sources);
    }

    /** Writes changed files only and deletes .java files below out that are no longer produced. */
    static void write(Path out, Map<Path, String> sources) throws IOException {
        if (Files.isDirectory(out)) {
            try (Stream<Path> old = Files.walk(out)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                    if (!sources.containsKey(p)) {
                        Files.delete(p);
                    }
                }
            }
        }
        for (Map.Entry<Path, String> e : sources.entrySet()) {
            byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
            Path p = e.getKey();
            if (Files.isRegularFile(p) && Arrays.equals(Files.readAllBytes(p), bytes)) {
                continue;
            }
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
        }
    }

    // ---------------------------------------------------------------- model

    record Rpc(String name, String requestType, String responseType, int line) {}

    record Service(String name, List<Rpc> rpcs, int line) {
        /** The Java interface's simple name: "Task" gives "TaskService". */
        String javaName() {
            return name + "Service";
        }
    }

    record Import(String path, boolean isPublic, int line) {}

    /**
     * What the generator knows of one .proto file.
     *
     * @param path the path below its root, with '/', as imports name it
     * @param messages every message, nested ones as "Outer.Inner"
     * @param topLevel top-level message, enum and service names (for the default outer classname)
     */
    record ProtoFile(String path, String pkg, Map<String, String> options, List<Import> imports,
            List<String> messages, Set<String> topLevel, List<Service> services) {}

    // ---------------------------------------------------------------- tokens

    enum Kind { WORD, STRING, SYMBOL }

    /** A word (identifier, keyword or number), a string literal (its value) or one symbol character. */
    record Token(Kind kind, String text, int line) {
        boolean is(String s) {
            return kind != Kind.STRING && text.equals(s);
        }
    }

    /** Splits .proto text into tokens, dropping white space and both kinds of comments. */
    static final class Lexer {
        private final String src;
        private final String file;
        private int pos;
        private int line = 1;

        Lexer(String src, String file) {
            this.src = src;
            this.file = file;
        }

        List<Token> tokens() {
            List<Token> out = new ArrayList<>();
            while (true) {
                skipSpaceAndComments();
                if (pos >= src.length()) {
                    return out;
                }
                char c = src.charAt(pos);
                if (Character.isLetterOrDigit(c) || c == '_') {
                    int start = pos;
                    while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                        pos++;
                    }
                    out.add(new Token(Kind.WORD, src.substring(start, pos), line));
                } else if (c == '"' || c == '\'') {
                    out.add(string(c));
                } else {
                    out.add(new Token(Kind.SYMBOL, String.valueOf(c), line));
                    pos++;
                }
            }
        }

        private void skipSpaceAndComments() {
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else if (src.startsWith("//", pos)) {
                    while (pos < src.length() && src.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (src.startsWith("/*", pos)) {
                    int startLine = line;
                    int end = src.indexOf("*/", pos + 2);
                    if (end < 0) {
                        throw new GeneratorException(file + ":" + startLine + ": unterminated /* comment");
                    }
                    for (int i = pos; i < end; i++) {
                        if (src.charAt(i) == '\n') {
                            line++;
                        }
                    }
                    pos = end + 2;
                } else {
                    return;
                }
            }
        }

        /** A string literal; escapes are kept only well enough for option values and import paths. */
        private Token string(char quote) {
            int startLine = line;
            StringBuilder sb = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= src.length() || src.charAt(pos) == '\n') {
                    throw new GeneratorException(file + ":" + startLine + ": unterminated string");
                }
                char c = src.charAt(pos++);
                if (c == quote) {
                    return new Token(Kind.STRING, sb.toString(), startLine);
                }
                if (c == '\\' && pos < src.length()) {
                    c = src.charAt(pos++);
                }
                sb.append(c);
            }
        }
    }

    // ---------------------------------------------------------------- parser

    /**
     * Reads the declarations the generator needs and skips the rest (fields, enums' values,
     * reserved ranges, extensions, option values) by balanced braces and semicolons.
     */
    static final class Parser {
        private final List<Token> tokens;
        private final String file;
        private int pos;
        private String pkg = "";
        private final Map<String, String> options = new LinkedHashMap<>();
        private final List<Import> imports = new ArrayList<>();
        private final List<String> messages = new ArrayList<>();
        private final Set<String> topLevel = new LinkedHashSet<>();
        private final List<Service> services = new ArrayList<>();

        Parser(String src, String file) {
            this.tokens = new Lexer(src, file).tokens();
            this.file = file;
        }

        ProtoFile parse() {
            while (pos < tokens.size()) {
                Token t = next();
                if (t.is(";")) {
                    continue;
                } else if (t.is("syntax") || t.is("edition") || t.is("extend")) {
                    skipStatement();
                } else if (t.is("package")) {
                    pkg = fullIdent();
                    expect(";");
                } else if (t.is("import")) {
                    boolean isPublic = peekIs("public");
                    if (isPublic || peekIs("weak")) {
                        next();
                    }
                    Token path = next();
                    if (path.kind() != Kind.STRING) {
                        throw error(path, "expected the imported file's path in quotes");
                    }
                    imports.add(new Import(path.text(), isPublic, t.line()));
                    expect(";");
                } else if (t.is("option")) {
                    option();
                } else if (t.is("message")) {
                    topLevel.add(message(""));
                } else if (t.is("enum")) {
                    topLevel.add(word());
                    skipBlock();
                } else if (t.is("service")) {
                    Service s = service();
                    topLevel.add(s.name());
                    services.add(s);
                } else {
                    throw error(t, "unexpected '" + t.text() + "' at the top level");
                }
            }
            return new ProtoFile(file, pkg, options, imports, messages, topLevel, services);
        }

        /** After "message": records the message and its nested messages; returns its name. */
        private String message(String prefix) {
            String name = word();
            messages.add(prefix + name);
            expect("{");
            while (!peekIs("}")) {
                if (pos >= tokens.size()) {
                    throw error(tokens.get(tokens.size() - 1), "message " + prefix + name + " is not closed");
                }
                if (peekIs("message") && kindAt(pos + 1) == Kind.WORD && isAt(pos + 2, "{")) {
                    next();
                    message(prefix + name + ".");
                } else {
                    skipStatement(); // a field, oneof, enum, reserved, option, extensions ...
                }
            }
            next();
            return name;
        }

        private Service service() {
            Token start = tokens.get(pos - 1);
            String name = word();
            List<Rpc> rpcs = new ArrayList<>();
            expect("{");
            while (true) {
                Token t = next();
                if (t.is("}")) {
                    return new Service(name, rpcs, start.line());
                } else if (t.is(";")) {
                    continue;
                } else if (t.is("option")) {
                    skipStatement();
                } else if (t.is("rpc")) {
                    rpcs.add(rpc(name, t));
                } else {
                    throw error(t, "unexpected '" + t.text() + "' in service " + name);
                }
            }
        }

        /** After "rpc": Name ( [stream] Req ) returns ( [stream] Resp ) then ";" or an options block. */
        private Rpc rpc(String service, Token start) {
            String name = word();
            expect("(");
            boolean clientStream = streamKeyword();
            String req = fullIdent();
            expect(")");
            expect("returns");
            expect("(");
            boolean serverStream = streamKeyword();
            String resp = fullIdent();
            expect(")");
            if (peekIs("{")) {
                skipBlock();
                if (peekIs(";")) {
                    next();
                }
            } else {
                expect(";");
            }
            if (clientStream || serverStream) {
                throw error(start, "rpc " + service + "." + name + " streams its "
                        + (clientStream ? "request" : "response")
                        + ": ttrpc-java serves unary calls only");
            }
            return new Rpc(name, req, resp, start.line());
        }

        /** "stream" as a keyword, not as the name of a message type called stream. */
        private boolean streamKeyword() {
            if (peekIs("stream") && (kindAt(pos + 1) == Kind.WORD || isAt(pos + 1, "."))) {
                next();
                return true;
            }
            return false;
        }

        /** After "option": name = value ; keeps file options with a plain name and a simple value. */
        private void option() {
            if (peekIs("(")) {
                skipStatement(); // a custom option: not ours
                return;
            }
            String name = fullIdent();
            expect("=");
            Token value = next();
            if (value.is("{") || value.is("-") || value.is("+")) {
                pos--;
                skipStatement();
                return;
            }
            StringBuilder text = new StringBuilder(value.text());
            while (value.kind() == Kind.STRING && pos < tokens.size() && tokens.get(pos).kind() == Kind.STRING) {
                text.append(next().text()); // adjacent literals concatenate
            }
            expect(";");
            options.put(name, text.toString());
        }

        /** Skips to the end of the statement: its ";" or the "}" of its block, whichever comes first. */
        private void skipStatement() {
            while (pos < tokens.size()) {
                Token t = next();
                if (t.is(";")) {
                    return;
                }
                if (t.is("{")) {
                    pos--;
                    skipBlock();
                    return;
                }
                if (t.is("}")) {
                    pos--; // the enclosing block's end: not ours to take
                    return;
                }
            }
        }

        /** Skips the balanced { ... } at the current position (after a name, if one comes first). */
        private void skipBlock() {
            while (pos < tokens.size() && !tokens.get(pos).is("{")) {
                pos++;
            }
            int depth = 0;
            Token open = pos < tokens.size() ? tokens.get(pos) : null;
            while (pos < tokens.size()) {
                Token t = next();
                if (t.is("{")) {
                    depth++;
                } else if (t.is("}") && --depth == 0) {
                    return;
                }
            }
            throw error(open != null ? open : tokens.get(tokens.size() - 1), "block is not closed");
        }

        /** A dotted name, possibly fully qualified (leading "."). */
        private String fullIdent() {
            StringBuilder sb = new StringBuilder();
            if (peekIs(".")) {
                sb.append(next().text());
            }
            sb.append(word());
            while (peekIs(".")) {
                sb.append(next().text()).append(word());
            }
            return sb.toString();
        }

        private String word() {
            Token t = next();
            if (t.kind() != Kind.WORD) {
                throw error(t, "expected a name, found '" + t.text() + "'");
            }
            return t.text();
        }

        private void expect(String s) {
            Token t = next();
            if (!t.is(s)) {
                throw error(t, "expected '" + s + "', found '" + t.text() + "'");
            }
        }

        private Token next() {
            if (pos >= tokens.size()) {
                int line = tokens.isEmpty() ? 1 : tokens.get(tokens.size() - 1).line();
                throw new GeneratorException(file + ":" + line + ": unexpected end of file");
            }
            return tokens.get(pos++);
        }

        private boolean peekIs(String s) {
            return isAt(pos, s);
        }

        private boolean isAt(int i, String s) {
            return i < tokens.size() && tokens.get(i).is(s);
        }

        private Kind kindAt(int i) {
            return i < tokens.size() ? tokens.get(i).kind() : null;
        }

        private GeneratorException error(Token t, String message) {
            return new GeneratorException(file + ":" + t.line() + ": " + message);
        }
    }

    // ---------------------------------------------------------------- files and names

    /** Finds and parses .proto files below the roots; protobuf's own well-known types are built in. */
    static final class ProtoLoader {
        /**
         * The well-known types protoc ships with its include files (they are not below our roots):
         * import path to message names; protobuf-java has them in com.google.protobuf.
         */
        private static final Map<String, List<String>> WELL_KNOWN = Map.of(
                "google/protobuf/any.proto", List.of("Any"),
                "google/protobuf/empty.proto", List.of("Empty"),
                "google/protobuf/timestamp.proto", List.of("Timestamp"),
                "google/protobuf/duration.proto", List.of("Duration"),
                "google/protobuf/field_mask.proto", List.of("FieldMask"),
                "google/protobuf/struct.proto", List.of("Struct", "Value", "ListValue"),
                "google/protobuf/wrappers.proto", List.of("DoubleValue", "FloatValue", "Int64Value",
                        "UInt64Value", "Int32Value", "UInt32Value", "BoolValue", "StringValue", "BytesValue"));

        private final List<Path> roots;
        private final Map<String, ProtoFile> cache = new HashMap<>();

        ProtoLoader(List<Path> roots) {
            this.roots = roots;
        }

        /** Every .proto below the roots, as import paths, sorted. */
        List<String> allFiles() throws IOException {
            List<String> all = new ArrayList<>();
            for (Path root : roots) {
                if (!Files.isDirectory(root)) {
                    throw new GeneratorException(root + ": no such directory");
                }
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> p.toString().endsWith(".proto") && Files.isRegularFile(p))
                            .map(p -> root.relativize(p).toString().replace('\\', '/'))
                            .sorted()
                            .forEach(all::add);
                }
            }
            return all;
        }

        /** Parses the file at an import path; importer says who asked (for the error), or null. */
        ProtoFile load(String path, String importer) {
            ProtoFile f = cache.get(path);
            if (f != null) {
                return f;
            }
            for (Path root : roots) {
                Path p = root.resolve(path);
                if (Files.isRegularFile(p)) {
                    try {
                        f = new Parser(Files.readString(p), path).parse();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    break;
                }
            }
            if (f == null && WELL_KNOWN.containsKey(path)) {
                f = new ProtoFile(path, "google.protobuf",
                        Map.of("java_package", "com.google.protobuf", "java_multiple_files", "true"),
                        List.of(), WELL_KNOWN.get(path), Set.copyOf(WELL_KNOWN.get(path)), List.of());
            }
            if (f == null) {
                throw new GeneratorException((importer != null ? importer + ": " : "") + "cannot find " + path
                        + " below " + roots.stream().map(Path::toString).collect(Collectors.joining(", ")));
            }
            cache.put(path, f);
            return f;
        }
    }

    /** Java class names for the proto message types one file can see, resolved as protoc does. */
    static final class JavaNames {
        private final ProtoFile file;
        /** full proto name ("containerd.task.v2.StateRequest") to Java name */
        private final Map<String, String> visible = new HashMap<>();

        JavaNames(ProtoFile file, ProtoLoader loader) {
            this.file = file;
            addFile(file);
            for (Import i : file.imports()) {
                addImported(loader, loader.load(i.path(), file.path() + ":" + i.line()), new HashSet<>());
            }
        }

        /** An import, and what it imports publicly (protoc lets those through too). */
        private void addImported(ProtoLoader loader, ProtoFile f, Set<String> seen) {
            if (!seen.add(f.path())) {
                return;
            }
            addFile(f);
            for (Import i : f.imports()) {
                if (i.isPublic()) {
                    addImported(loader, loader.load(i.path(), f.path() + ":" + i.line()), seen);
                }
            }
        }

        private void addFile(ProtoFile f) {
            String prefix = f.pkg().isEmpty() ? "" : f.pkg() + ".";
            String javaPrefix = javaPackage(f).isEmpty() ? "" : javaPackage(f) + ".";
            if (!"true".equals(f.options().get("java_multiple_files"))) {
                javaPrefix += outerClassname(f) + ".";
            }
            for (String m : f.messages()) {
                visible.put(prefix + m, javaPrefix + m);
            }
        }

        String javaPackage() {
            return javaPackage(file);
        }

        static String javaPackage(ProtoFile f) {
            return f.options().getOrDefault("java_package", f.pkg());
        }

        /** java_outer_classname, or protoc's default: the file name in CamelCase (+"OuterClass" on a clash). */
        static String outerClassname(ProtoFile f) {
            String explicit = f.options().get("java_outer_classname");
            if (explicit != null) {
                return explicit;
            }
            String base = f.path().substring(f.path().lastIndexOf('/') + 1).replaceFirst("\\.proto$", "");
            StringBuilder sb = new StringBuilder();
            boolean upper = true;
            for (char c : base.toCharArray()) {
                if (Character.isLetter(c)) {
                    sb.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                } else if (Character.isDigit(c)) {
                    sb.append(c);
                    upper = true;
                } else {
                    upper = true;
                }
            }
            String name = sb.toString();
            return f.topLevel().contains(name) ? name + "OuterClass" : name;
        }

        /**
         * The Java class of a type named in an rpc: a leading "." means fully qualified; otherwise
         * the innermost enclosing package that has it wins (a.b.c, then a.b, then a, then none).
         */
        String resolve(String type, Rpc rpc, Service s) {
            if (type.startsWith(".")) {
                String found = visible.get(type.substring(1));
                if (found != null) {
                    return found;
                }
            } else {
                String scope = file.pkg();
                while (true) {
                    String found = visible.get(scope.isEmpty() ? type : scope + "." + type);
                    if (found != null) {
                        return found;
                    }
                    if (scope.isEmpty()) {
                        break;
                    }
                    int dot = scope.lastIndexOf('.');
                    scope = dot < 0 ? "" : scope.substring(0, dot);
                }
            }
            throw new GeneratorException(file.path() + ":" + rpc.line() + ": rpc " + s.name() + "." + rpc.name()
                    + ": unknown type " + type + " (not a message of this file or of its imports)");
        }
    }

    // ---------------------------------------------------------------- Java source

    /** The Java text of one service's interface; every type fully qualified, so no message name can shadow one. */
    static final class Emitter {
        private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte",
                "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum",
                "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof",
                "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return",
                "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
                "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "yield", "record",
                "sealed", "permits", "_");
        private static final String CTX = "io.javarun.ttrpc.CallContext";
        private static final String SERVER = "io.javarun.ttrpc.TtrpcServer";
        private static final String CLIENT = "io.javarun.ttrpc.TtrpcClient";
        private static final String HANDLER = "io.javarun.ttrpc.MethodHandler";
        private static final String FAILURE = "io.javarun.ttrpc.TtrpcException";
        private static final String STRING = "java.lang.String";

        /** "ResizePty" gives "resizePty", "CloseIO" "closeIO"; a Java keyword gets a trailing "_". */
        static String methodName(String rpc) {
            String m = Character.toLowerCase(rpc.charAt(0)) + rpc.substring(1);
            return KEYWORDS.contains(m) ? m + "_" : m;
        }

        static String emit(ProtoFile file, Service s, JavaNames names) {
            String iface = s.javaName();
            boolean multiple = "true".equals(file.options().get("java_multiple_files"));
            if (multiple ? file.topLevel().contains(iface) : JavaNames.outerClassname(file).equals(iface)) {
                throw new GeneratorException(file.path() + ":" + s.line() + ": service " + s.name() + " would generate "
                        + iface + ", which protoc already generates from this file");
            }
            String full = file.pkg().isEmpty() ? s.name() : file.pkg() + "." + s.name();
            List<String[]> rpcs = new ArrayList<>(); // name, method, request class, response class
            Set<String> methods = new HashSet<>();
            for (Rpc r : s.rpcs()) {
                String m = methodName(r.name());
                if (!methods.add(m)) {
                    throw new GeneratorException(file.path() + ":" + r.line() + ": rpc " + s.name() + "." + r.name()
                            + " gives the method name " + m + " twice");
                }
                rpcs.add(new String[] {r.name(), m, names.resolve(r.requestType(), r, s), names.resolve(r.responseType(), r, s)});
            }
            StringBuilder o = new StringBuilder();
            o.append("// Generated by TtrpcStubGenerator from ").append(file.path()).append(": do not edit.\n");
            if (!names.javaPackage().isEmpty()) {
                o.append("package ").append(names.javaPackage()).append(";\n");
            }
            o.append("\n/**\n * The ttrpc service {@code ").append(full).append("}: one method per rpc, {@link #register} to\n")
                    .append(" * serve an implementation on a {@link ").append(SERVER).append("}, {@link Client} to call one.\n")
                    .append(" * A method throws {@link ").append(FAILURE).append("} to choose the reply's status code;\n")
                    .append(" * any other exception is answered as UNKNOWN.\n */\n")
                    .append("public interface ").append(iface).append(" {\n")
                    .append("    /** The service name in the .proto, as ttrpc requests carry it. */\n")
                    .append("    ").append(STRING).append(" NAME = \"").append(full).append("\";\n");
            for (String[] r : rpcs) {
                o.append("\n    /** {@code ").append(full).append('/').append(r[0]).append("} */\n")
                        .append("    ").append(r[3]).append(' ').append(r[1]).append('(').append(CTX)
                        .append(" context, ").append(r[2]).append(" request) throws java.lang.Exception;\n");
            }
            o.append("\n    /** Serves every method of impl under {@link #NAME}. */\n")
                    .append("    static void register(").append(SERVER).append(" server, ").append(iface).append(" impl) {\n")
                    .append("        register(server, NAME, impl);\n    }\n")
                    .append("\n    /** Serves every method of impl under serviceName (one impl may serve several names). */\n")
                    .append("    static void register(").append(SERVER).append(" server, ").append(STRING)
                    .append(" serviceName, ").append(iface).append(" impl) {\n")
                    .append("        java.util.Objects.requireNonNull(serviceName, \"serviceName\");\n")
                    .append("        java.util.Objects.requireNonNull(impl, \"impl\");\n");
            for (String[] r : rpcs) {
                o.append("        server.register(serviceName, \"").append(r[0]).append("\", ").append(HANDLER).append(".of(")
                        .append(r[2]).append(".parser(),\n                (context, request) -> impl.").append(r[1])
                        .append("(context, request)));\n");
            }
            o.append("    }\n")
                    .append("\n    /** Calls the service over a ttrpc connection; a failed call throws {@link ").append(FAILURE)
                    .append("}. */\n")
                    .append("    final class Client {\n")
                    .append("        private final ").append(CLIENT).append(" client;\n")
                    .append("        private final ").append(STRING).append(" serviceName;\n")
                    .append("\n        public Client(").append(CLIENT).append(" client) {\n")
                    .append("            this(client, NAME);\n        }\n")
                    .append("\n        /** A client of the same methods served under another name. */\n")
                    .append("        public Client(").append(CLIENT).append(" client, ").append(STRING).append(" serviceName) {\n")
                    .append("            this.client = java.util.Objects.requireNonNull(client, \"client\");\n")
                    .append("            this.serviceName = java.util.Objects.requireNonNull(serviceName, \"serviceName\");\n")
                    .append("        }\n");
            for (String[] r : rpcs) {
                o.append("\n        /** {@code ").append(full).append('/').append(r[0])
                        .append("}; timeout null or zero: no deadline. */\n")
                        .append("        public ").append(r[3]).append(' ').append(r[1]).append('(').append(r[2])
                        .append(" request,\n                java.util.Map<").append(STRING).append(", ").append(STRING)
                        .append("> metadata, java.time.Duration timeout) throws ").append(FAILURE).append(" {\n")
                        .append("            return client.call(serviceName, \"").append(r[0]).append("\", request, ")
                        .append(r[3]).append(".parser(), metadata, timeout);\n        }\n");
            }
            o.append("    }\n}\n");
            return o.toString();
        }
    }
}
