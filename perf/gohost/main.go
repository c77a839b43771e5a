// Command gohost is a go-plugin (v1.0.1) host for ConfigManager plugins: it fetches one value, or
// times launch and calls, as the performance anchor for the .NET host and as proof that a plugin
// runs under HashiCorp's own client. Flags are documented in perf/README.md.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"cmtest/proto"
)

var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "CONFIGMANAGER_PLUGIN",
	MagicCookieValue: "configmanager-plugin-hello",
}

type tokenStorePlugin struct{ plugin.Plugin }

func (p *tokenStorePlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return fmt.Errorf("gohost only hosts plugins")
}

func (p *tokenStorePlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return proto.NewTokenStoreClient(c), nil
}

func launch(path string, mtls bool) (*plugin.Client, proto.TokenStoreClient, error) {
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  handshake,
		Plugins:          plugin.PluginSet{"configmanager_token_store": &tokenStorePlugin{}},
		Cmd:              exec.Command(path),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         mtls,
		Logger:           hclog.NewNullLogger(),
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, nil, err
	}
	raw, err := rpc.Dispense("configmanager_token_store")
	if err != nil {
		client.Kill()
		return nil, nil, err
	}
	return client, raw.(proto.TokenStoreClient), nil
}

func value(store proto.TokenStoreClient, token, metadata string) (string, error) {
	resp, err := store.Value(context.Background(), &proto.TokenValueRequest{Token: token, Metadata: []byte(metadata)})
	if err != nil {
		return "", err
	}
	return resp.Value, nil
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(p*float64(len(sorted))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

func summary(samples []time.Duration) map[string]float64 {
	sorted := append([]time.Duration(nil), samples...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a] < sorted[b] })
	var total time.Duration
	for _, s := range sorted {
		total += s
	}
	return map[string]float64{
		"mean_us": micros(total / time.Duration(len(sorted))),
		"p50_us":  micros(percentile(sorted, 0.50)),
		"p99_us":  micros(percentile(sorted, 0.99)),
		"min_us":  micros(sorted[0]),
	}
}

func benchLaunch(path string, mtls bool, n int, token string) (map[string]interface{}, error) {
	samples := make([]time.Duration, 0, n)
	// The two parts of a launch: start -> handshake -> connected (the plugin's own start-up), and the first Value call
	// (what the plugin still had to do for its first value once serving: a store plugin's client, credentials, first request).
	handshakes := make([]time.Duration, 0, n)
	firsts := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		client, store, err := launch(path, mtls)
		if err != nil {
			return nil, err
		}
		connected := time.Now()
		if _, err := value(store, token, ""); err != nil {
			client.Kill()
			return nil, err
		}
		answered := time.Now()
		client.Kill()
		samples = append(samples, time.Since(start))
		handshakes = append(handshakes, connected.Sub(start))
		firsts = append(firsts, answered.Sub(connected))
	}
	return map[string]interface{}{"launch": summary(samples), "handshake": summary(handshakes), "first_value": summary(firsts)}, nil
}

func benchSequential(store proto.TokenStoreClient, n int, token string) (map[string]interface{}, error) {
	for i := 0; i < 100; i++ {
		if _, err := value(store, token, ""); err != nil {
			return nil, err
		}
	}
	samples := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		if _, err := value(store, token, ""); err != nil {
			return nil, err
		}
		samples = append(samples, time.Since(start))
	}
	return map[string]interface{}{"sequential": summary(samples)}, nil
}

func benchConcurrent(store proto.TokenStoreClient, n, c int, token string) (map[string]interface{}, error) {
	for i := 0; i < 100; i++ {
		if _, err := value(store, token, ""); err != nil {
			return nil, err
		}
	}
	var next int64
	var failed atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for atomic.AddInt64(&next, 1) <= int64(n) {
				if _, err := value(store, token, ""); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, ok := failed.Load().(error); ok {
		return nil, err
	}
	return map[string]interface{}{"concurrent": map[string]float64{
		"calls":         float64(n),
		"in_flight":     float64(c),
		"elapsed_ms":    float64(elapsed.Microseconds()) / 1000,
		"calls_per_sec": float64(n) / elapsed.Seconds(),
	}}, nil
}

func run() error {
	path := flag.String("plugin", "", "path of the plugin executable (required)")
	mtls := flag.Bool("mtls", false, "use go-plugin AutoMTLS")
	token := flag.String("token", "echo/bench", "token (store path) to request")
	metadata := flag.String("metadata", "", "raw metadata sent with the token")
	bench := flag.String("bench", "", "launch | seq | conc: print timings as JSON instead of the value")
	n := flag.Int("n", 0, "iterations (default: launch 20, seq 1000, conc 10000)")
	c := flag.Int("c", 16, "calls in flight for -bench conc")
	flag.Parse()
	if *path == "" {
		flag.Usage()
		return fmt.Errorf("-plugin is required")
	}

	var result map[string]interface{}
	var err error
	switch *bench {
	case "":
		client, store, err := launch(*path, *mtls)
		if err != nil {
			return err
		}
		defer client.Kill()
		v, err := value(store, *token, *metadata)
		if err != nil {
			return err
		}
		fmt.Println(v)
		return nil
	case "launch":
		result, err = benchLaunch(*path, *mtls, orDefault(*n, 20), *token)
	case "seq", "conc":
		client, store, lerr := launch(*path, *mtls)
		if lerr != nil {
			return lerr
		}
		defer client.Kill()
		if *bench == "seq" {
			result, err = benchSequential(store, orDefault(*n, 1000), *token)
		} else {
			result, err = benchConcurrent(store, orDefault(*n, 10000), *c, *token)
		}
	default:
		return fmt.Errorf("unknown -bench %q (launch, seq, conc)", *bench)
	}
	if err != nil {
		return err
	}
	result["host"] = "go"
	result["mtls"] = *mtls
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
	return nil
}

func orDefault(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gohost:", err)
		os.Exit(1)
	}
}
