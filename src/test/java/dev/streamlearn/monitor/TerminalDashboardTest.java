package dev.streamlearn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TerminalDashboardTest {

    @Test
    @DisplayName("the view shows loss, a row per layer, and each alert with its severity, explanation and fix")
    void rendersAlerts() {
        TrainingSummary summary = Fixtures.summary(500);
        summary.setAlerts(List.of("vanishing-gradients"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TerminalDashboard(new PrintStream(bytes, true, StandardCharsets.UTF_8)).show(summary);
        String screen = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(screen.contains("step 500"), screen);
        assertTrue(screen.contains("loss        0.5000"), screen);
        assertTrue(screen.contains("WARNING vanishing-gradients"), screen);
        assertTrue(screen.contains("fix:  initialise for the activation"), screen);
    }

    @Test
    @DisplayName("sparklines scale between the smallest and largest value and mark non-finite ones")
    void sparkline() {
        assertEquals("▁▅█!", TerminalDashboard.sparkline(new ArrayDeque<>(List.of(1.0, 2.0, 3.0, Double.NaN))));
    }

    @Test
    @DisplayName("CSV rows line up with their header")
    void csv() {
        TrainingSummary summary = Fixtures.summary(100);
        String header = SummaryFormat.header(summary);
        String row = SummaryFormat.CSV.format(summary);
        assertEquals(header.split(",", -1).length, row.split(",", -1).length);
        assertTrue(row.startsWith("100,0.500000,0.600000,"), row);
    }
}
