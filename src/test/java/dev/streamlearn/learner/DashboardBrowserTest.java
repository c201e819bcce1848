package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamlearn.avro.AveragingRound;
import dev.streamlearn.data.FeatureTable;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.data.MnistFetcher;
import dev.streamlearn.data.SyntheticStreams;
import dev.streamlearn.diagnosis.Scenario;
import dev.streamlearn.model.Initialiser;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.monitor.DashboardServer;
import dev.streamlearn.producer.Drift;
import dev.streamlearn.producer.SampleProducer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard fed by a real run (the first 2,000 MNIST samples of the deep-tanh scenario), drawn by headless
 * Chromium: charts, heatmaps and the alert, plus /metrics parsed as Prometheus text. Skipped where Debian's
 * chromium and chromium-driver are not installed (.ci/run installs them).
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path profile;

    @Test
    @DisplayName("a real run's summaries render in the browser; /metrics parses; writes are refused")
    void dashboardRendersARealRun() throws Exception {
        Path dir = Path.of("data", "mnist");
        MnistFetcher.fetch(dir);
        Mnist train = Mnist.load(dir, Mnist.Split.TRAIN);
        TrainingLoop loop = new TrainingLoop(new OnlineTrainer(Scenario.SEED001_DEEP_TANH.config().build()),
                TrainingLoop.Cadence.summariesEvery(100), new SummaryFactory("dashboard-test", "mnist.train", 30),
                () -> null);
        try (DashboardServer dashboard = DashboardServer.start(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            for (int i = 0; i < 2_000; i++) {
                TrainingLoop.Result result = loop.train(train.image(i), train.labels()[i], 0, i, 0);
                if (result.summary() != null) {
                    dashboard.publish(result.summary());
                }
            }
            HttpClient http = HttpClient.newHttpClient();
            String metrics = http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, String> samples = metrics.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                    .collect(Collectors.toMap(line -> line.substring(0, line.lastIndexOf(' ')),
                            line -> line.substring(line.lastIndexOf(' ') + 1)));
            String model = "learner=\"dashboard-test\",partition=\"0\"";
            assertEquals(2000.0, Double.parseDouble(samples.get("streamlearn_step{" + model + "}")), metrics);
            assertEquals(1.0, Double.parseDouble(samples.get("streamlearn_alert_active{" + model
                    + ",rule=\"vanishing-gradients\",severity=\"warning\"}")), metrics);
            assertEquals(0.0, Double.parseDouble(samples.get("streamlearn_alert_active{" + model
                    + ",rule=\"plateau\",severity=\"info\"}")), metrics);
            assertTrue(samples.containsKey("streamlearn_update_ratio{" + model + ",tensor=\"W1\"}"), metrics);
            assertEquals(405, http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode());
            assertEquals(413, http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/metrics"))
                    .method("GET", HttpRequest.BodyPublishers.ofString("a body")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());

            inBrowser(dashboard, 20, (browser, js) -> {
                assertEquals(3L, js.executeScript("return window.streamlearn.charts"));
                assertEquals(3, browser.findElements(By.cssSelector(".uplot canvas")).size());
                assertTrue(painted(js, "weightHeat") > 1000, "weight heatmap painted");
                String alerts = browser.findElement(By.id("alerts")).getText();
                assertTrue(alerts.contains("vanishing-gradients warning") && alerts.contains("fix:"), alerts);
                assertTrue(browser.findElement(By.id("status")).getText().contains("step 2,000"),
                        browser.findElement(By.id("status")).getText());
                assertTrue(!browser.findElement(By.id("scatterPanel")).isDisplayed(), "no scatter for classes");
                // For people: what the page looked like, in target/ next to the test reports.
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "dashboard.png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            });
        }
    }

    @Test
    @DisplayName("a regression sweep (seed004-identity and its fix) shows the scatter, the MAE and the constant-output "
            + "alert of the model shown, and a leaderboard row per model with its MAE and RMSE")
    void dashboardShowsARegression() throws Exception {
        ModelConfig broken = Scenario.SEED004_IDENTITY.config().build();
        ModelConfig fixed = Scenario.SEED004_IDENTITY.config().weightInit(Initialiser.parse("xavier-uniform"))
                .biasInit(Initialiser.parse("constant:0.1")).build();
        List<TrainingLoop> loops = new ArrayList<>();
        for (String variant : List.of("seed004", "xavier")) {
            loops.add(new TrainingLoop(new OnlineTrainer(variant.equals("xavier") ? fixed : broken),
                    TrainingLoop.Cadence.summariesEvery(100), new SummaryFactory("dashboard-test/" + variant,
                    "identity", 30), () -> null));
        }
        FeatureTable rows = SyntheticStreams.identity(2_000, 0);
        TrainingInput input = new TrainingInput(1, 1);
        input.kind = TrainingInput.Kind.FEATURES;
        input.numeric = true;
        input.label = -1;
        input.weight = 1f;
        try (DashboardServer dashboard = DashboardServer.start(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            for (int i = 0; i < rows.count(); i++) {
                for (TrainingLoop loop : loops) {
                    input.features[0] = rows.features()[i][0];
                    input.targets[0] = (float) rows.numbers()[i][0];
                    TrainingLoop.Result result = loop.train(input, 0, i, 0);
                    if (result.summary() != null) {
                        dashboard.publish(result.summary());
                    }
                }
            }
            inBrowser(dashboard, 40, (browser, js) -> {
                assertTrue(browser.findElement(By.id("scatterPanel")).isDisplayed(), "the scatter is shown");
                assertTrue(painted(js, "scatter") > 300, "scatter painted");
                String status = browser.findElement(By.id("status")).getText();
                assertTrue(status.contains("MAE") && !status.contains("NaN"), status);
                assertEquals("Loss and prequential MAE", browser.findElement(By.id("lossTitle")).getText());
                assertTrue(browser.findElement(By.id("alerts")).getText().contains("constant-output warning"),
                        browser.findElement(By.id("alerts")).getText());
                List<WebElement> leaderboard = browser.findElements(By.cssSelector("#partitions tbody tr"));
                assertEquals(2, leaderboard.size());
                for (WebElement row : leaderboard) {
                    assertTrue(row.getText().matches("dashboard-test/\\S+ 0 2,000 .* MAE \\S+ RMSE \\S+ MAE \\S+ RMSE "
                            + "\\S+ - .*") && !row.getText().contains("NaN"), row.getText());
                }
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(),
                        Path.of("target", "dashboard-regression.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            });
        }
    }

    @Test
    @DisplayName("two partitions' summaries show side by side, a row each with its step and averaging round; clicking "
            + "a row shows that partition's charts")
    void dashboardShowsPartitionsSideBySide() throws Exception {
        Mnist train = Mnist.load(Path.of("data", "mnist"), Mnist.Split.TRAIN);
        try (DashboardServer dashboard = DashboardServer.start(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            for (int partition = 0; partition < 2; partition++) {
                TrainingLoop loop = new TrainingLoop(new OnlineTrainer(ModelConfig.preset("M2").build()),
                        TrainingLoop.Cadence.summariesEvery(100), new SummaryFactory("dashboard-test", "mnist.train",
                        30), () -> null);
                loop.roundApplied(AveragingRound.newBuilder().setRound(3 + partition).setEveryRecords(100)
                        .setPartitions(2).setDivergence(List.of(0.5, 0.25)).setAverageNorm(10)
                        .setRelativeDivergence(0.05).setWaitSeconds(0.01).build());
                for (int i = 0; i < 500 * (partition + 1); i++) {
                    TrainingLoop.Result result = loop.train(train.image(i), train.labels()[i], partition, i, 0);
                    if (result.summary() != null) {
                        dashboard.publish(result.summary());
                    }
                }
            }
            inBrowser(dashboard, 15, (browser, js) -> {
                assertEquals(2L, js.executeScript("return window.streamlearn.partitions"));
                assertTrue(browser.findElement(By.id("partitions")).isDisplayed(), "the partitions panel is shown");
                List<WebElement> rows = browser.findElements(By.cssSelector("#partitions tbody tr"));
                assertEquals(2, rows.size());
                WebElement first = rows.stream().filter(row -> row.getText().startsWith("dashboard-test 0 500 "))
                        .findFirst().orElseThrow(() -> new AssertionError(rows.get(0).getText()));
                WebElement second = rows.stream().filter(row -> row.getText().startsWith("dashboard-test 1 1,000 "))
                        .findFirst().orElseThrow(() -> new AssertionError(rows.get(1).getText()));
                assertTrue(first.getText().contains(" 3 0.0500 "), first.getText());
                assertTrue(second.getText().contains(" 4 0.0500 "), second.getText());
                assertEquals(2L, js.executeScript("return window.streamlearn.overlaid"));
                assertTrue(browser.findElement(By.id("status")).getText().contains("dashboard-test p0 step 500"),
                        browser.findElement(By.id("status")).getText());
                second.click();
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> driver.findElement(By.id("status"))
                        .getText().contains("dashboard-test p1 step 1,000"));
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(),
                        Path.of("target", "dashboard-partitions.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            });
        }
    }

    @Test
    @DisplayName("a drifting stream (labels permuted at sample 3,000): the drift is marked on the charts and named in "
            + "the status line with its step and error rates")
    void dashboardMarksADrift() throws Exception {
        Mnist train = Mnist.load(Path.of("data", "mnist"), Mnist.Split.TRAIN);
        var rows = SampleProducer.samples(train);
        var drifted = Drift.onSamples(List.of(Drift.parse("3000:permute-labels")), 0, 10);
        TrainingLoop loop = new TrainingLoop(new OnlineTrainer(ModelConfig.preset("M2").build()),
                TrainingLoop.Cadence.summariesEvery(100), new SummaryFactory("dashboard-test", "mnist.train", 30),
                () -> null);
        byte[] pixels = new byte[784];
        long signalledAt = -1;
        try (DashboardServer dashboard = DashboardServer.start(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            for (int i = 0; i < 6_000; i++) {
                var sample = drifted.apply(rows.record(i, 0), i);
                sample.getPixels().duplicate().get(pixels);
                TrainingLoop.Result result = loop.train(pixels, sample.getLabel(), 0, i, 0);
                if (result.summary() != null) {
                    dashboard.publish(result.summary());
                    if (result.summary().getDrift() != null) {
                        signalledAt = result.summary().getDrift().getStep();
                    }
                }
            }
            assertTrue(signalledAt > 3_000, "the loop signalled the drift: " + signalledAt);
            String step = String.format(Locale.ROOT, "%,d", signalledAt);
            inBrowser(dashboard, 60, (browser, js) -> {
                assertEquals(1L, js.executeScript("return window.streamlearn.driftMarks"));
                String status = browser.findElement(By.id("status")).getText();
                assertTrue(status.contains("drift at step " + step + " (error 0."), status);
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(),
                        Path.of("target", "dashboard-drift.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            });
        }
    }

    /** Pixels of a canvas that are not white. */
    private static int painted(JavascriptExecutor js, String canvas) {
        return ((Number) js.executeScript("const c = document.getElementById('" + canvas + "');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] !== 255 || d[i + 1] !== 255) n++; }"
                + "return n;")).intValue();
    }

    /** What a page check does with the browser and its script runner. */
    private interface PageCheck {
        void check(ChromeDriver browser, JavascriptExecutor js) throws Exception;
    }

    /** Opens the dashboard in headless Chromium, waits for its points, and runs the check (skipped without it). */
    private void inBrowser(DashboardServer dashboard, int points, PageCheck check) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--window-size=1300,1100",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(dashboard.uri().toString());
            JavascriptExecutor js = browser;
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> ((Number) js.executeScript(
                    "return window.streamlearn.points")).intValue() == points);
            check.check(browser, js);
        } finally {
            browser.quit();
        }
    }
}