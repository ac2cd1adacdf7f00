package io.javarun.it;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** Base of every test class: root check, and per-test harnesses closed after each test. */
public abstract class ItBase {
    private final List<Harness> harnesses = new ArrayList<>();
    private String testName = "test";

    @BeforeAll
    static void mustBeRoot() {
        Repo.requireRoot();
    }

    @BeforeEach
    void rememberName(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    /** The harness of this test for runtime {@code kind}: cleaned up after the test. */
    protected Harness harness(Kind kind) {
        Harness h = new Harness(kind, testName);
        harnesses.add(h);
        return h;
    }

    @AfterEach
    void cleanUp() {
        for (Harness h : harnesses) {
            h.close();
        }
        harnesses.clear();
    }
}
