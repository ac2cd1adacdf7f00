package io.javarun.spec;

import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static io.javarun.testing.Fixtures.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.javarun.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resource values that name a cgroup file or make up a one-line write are checked before anything is made. */
class ResourcesValidationTest {
    @TempDir
    Path bundle;

    Path rootfs;
    Map<String, Object> doc;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        doc = Fixtures.runcSpec();
    }

    private String refused(String key, Object value) {
        obj(doc, "linux", "resources").put(key, value);
        return assertThrows(ConfigException.class, () -> SpecValidator.validate(Fixtures.spec(doc), rootfs)).getMessage();
    }

    @Test
    void goodValuesPass() throws Exception {
        Map<String, Object> r = obj(doc, "linux", "resources");
        r.put("hugepageLimits", list(map("pageSize", "2MB", "limit", 1L), map("pageSize", "1GB", "limit", 1L)));
        r.put("cpu", map("cpus", "0-1,3", "mems", "0"));
        r.put("network", map("priorities", list(map("name", "eth0", "priority", 1L))));
        assertEquals(List.of(), SpecValidator.validate(Fixtures.spec(doc), rootfs));
    }

    @Test
    void aPageSizeCannotNameAnotherFile() {
        assertEquals("config.json: linux.resources.hugepageLimits[0].pageSize: must be a page size as the kernel"
                + " names it (2MB, 1GB, 64KB), got \"../../memory/x\"",
                refused("hugepageLimits", list(map("pageSize", "../../memory/x", "limit", 1L))));
    }

    @Test
    void cpusetListsAreListsOnly() {
        assertEquals("config.json: linux.resources.cpu.cpus: must be a cpu list such as 0-2,4, got \"0\n1\"",
                refused("cpu", map("cpus", "0\n1")));
    }

    @Test
    void interfaceNamesHaveNoSpaces() {
        assertEquals("config.json: linux.resources.network.priorities[0].name: must be a network interface name,"
                + " got \"eth0 5\"", refused("network", map("priorities", list(map("name", "eth0 5", "priority", 1L)))));
    }
}
