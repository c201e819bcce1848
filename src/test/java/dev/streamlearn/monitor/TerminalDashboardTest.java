package dev.streamlearn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.AveragingRound;
import dev.streamlearn.avro.DriftDetection;
import dev.streamlearn.avro.RegressionSummary;
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
    @DisplayName("summaries of two partitions show side by side, a row each with its step, loss, averaging round, "
            + "divergence and alerts, then the details of the partition just summarised")
    void partitionsSideBySide() {
        TrainingSummary first = Fixtures.summary(300);
        TrainingSummary second = Fixtures.summary(700);
        second.setInputPartition(1);
        second.setLossMean(0.25);
        second.setAlerts(List.of("dead-relu"));
        second.setAveraging(AveragingRound.newBuilder().setRound(4).setEveryRecords(100).setPartitions(2)
                .setDivergence(List.of(0.5, 0.25)).setAverageNorm(10).setRelativeDivergence(0.05).setWaitSeconds(0.01)
                .build());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalDashboard dashboard = new TerminalDashboard(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        dashboard.show(first);
        assertTrue(!bytes.toString(StandardCharsets.UTF_8).contains("model "), "one model: no table");
        bytes.reset();
        dashboard.show(second);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.stream().anyMatch(line -> line.matches("app p0\\s+300\\s+0\\.5000\\s+.*\\s+-\\s+-\\s+.*none")),
                String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.matches("app p1\\s+700\\s+0\\.2500\\s+.*\\s+4\\s+0\\.0500\\s+.*dead-relu")),
                String.join("\n", lines));
        assertTrue(lines.contains("app p1"), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("step 700")), String.join("\n", lines));
    }

    @Test
    @DisplayName("a summary with a drift shows it, and later summaries keep showing the last one")
    void showsTheLastDrift() {
        TrainingSummary drifted = Fixtures.summary(3_100);
        drifted.setDrift(DriftDetection.newBuilder().setStep(3_059).setErrorBefore(0.12).setErrorAfter(0.81)
                .setAction("boost-lr:3.0:2000").build());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalDashboard dashboard = new TerminalDashboard(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        dashboard.show(drifted);
        dashboard.show(Fixtures.summary(3_200));
        String screen = bytes.toString(StandardCharsets.UTF_8);
        String last = screen.substring(screen.lastIndexOf("streamlearn monitor"));
        assertTrue(last.contains("last drift: step 3,059, error 0.120 -> 0.810, then boost-lr:3.0:2000"), last);
    }

    @Test
    @DisplayName("a sweep's variants make a leaderboard, lowest loss EMA first, with window and cumulative accuracy")
    void leaderboard() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalDashboard dashboard = new TerminalDashboard(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        double[] emas = {0.9, 0.3, 0.6};
        String[] names = {"lr=0.5", "lr=0.01", "lr=0.001"};
        for (int v = 0; v < 3; v++) {
            TrainingSummary summary = Fixtures.summary(1_000);
            summary.setApplicationId("sweep/" + names[v]);
            summary.setLossEma(emas[v]);
            summary.setAccuracyCumulative(1 - emas[v] / 2);
            dashboard.show(summary);
        }
        String screen = bytes.toString(StandardCharsets.UTF_8);
        List<String> last = screen.substring(screen.lastIndexOf("streamlearn monitor")).lines()
                .filter(line -> line.matches("sweep/\\S+ p0\\s+1,000 .*")).toList();
        assertEquals(3, last.size(), screen);
        assertTrue(last.get(0).startsWith("sweep/lr=0.01 p0") && last.get(0).contains(" 0.3000 ")
                && last.get(0).contains(" 0.850 "), String.join("\n", last));
        assertTrue(last.get(1).startsWith("sweep/lr=0.001 p0"), String.join("\n", last));
        assertTrue(last.get(2).startsWith("sweep/lr=0.5 p0"), String.join("\n", last));
    }

    @Test
    @DisplayName("a regression sweep's leaderboard shows each model's MAE and RMSE, window, cumulative and held-out")
    void regressionLeaderboard() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalDashboard dashboard = new TerminalDashboard(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (int v = 0; v < 2; v++) {
            TrainingSummary summary = Fixtures.summary(1_000);
            summary.setApplicationId("sweep/lr=" + (v + 1));
            summary.setLossEma(v + 1);
            summary.setAccuracyWindow(Double.NaN);
            summary.setAccuracyCumulative(Double.NaN);
            summary.setRegression(RegressionSummary.newBuilder().setMaeWindow(0.25 * (v + 1)).setRmseWindow(0.5)
                    .setMaeCumulative(0.125).setRmseCumulative(0.375).setEstimateStd(1).setTargetStd(1)
                    .setTestMae(v == 0 ? 0.0625 : null).setTestRmse(v == 0 ? 0.0875 : null)
                    .setRecentEstimates(List.of()).setRecentTargets(List.of()).build());
            dashboard.show(summary);
        }
        String screen = bytes.toString(StandardCharsets.UTF_8);
        List<String> last = screen.substring(screen.lastIndexOf("streamlearn monitor")).lines()
                .filter(line -> line.matches("sweep/lr=\\d p0 +1,000 .*")).toList();
        assertEquals(2, last.size(), screen);
        assertTrue(last.get(0).matches("sweep/lr=1 p0 .* MAE 0\\.250 RMSE 0\\.500 +MAE 0\\.125 RMSE 0\\.375 +MAE "
                + "0\\.0625 RMSE 0\\.0875 .*"), last.get(0));
        assertTrue(last.get(1).matches("sweep/lr=2 p0 .* MAE 0\\.500 RMSE 0\\.500 +MAE 0\\.125 RMSE 0\\.375 +- .*"),
                last.get(1));
        assertTrue(!screen.contains("NaN"), screen);
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
        assertTrue(header.startsWith("step,loss_mean,loss_ema,loss_cumulative,accuracy_window,"), header);
        assertTrue(row.startsWith("100,0.500000,0.600000,,0.900000,"), row);
        summary.setLossCumulative(0.75);
        assertTrue(SummaryFormat.CSV.format(summary).startsWith("100,0.500000,0.600000,0.750000,0.900000,"),
                SummaryFormat.CSV.format(summary));
    }
}
