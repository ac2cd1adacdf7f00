package io.javarun.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A test run once against runc and once against javarun: the behaviour a runc user sees must be
 * the same. The display name is the runtime, e.g. {@code walkThrough(Kind)[runc]}. The system
 * property {@code javarun.it.runtimes} (e.g. {@code runc}) limits the runtimes, for development.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "[{0}]")
@MethodSource("io.javarun.it.Kind#selected")
public @interface BothRuntimes {
}
