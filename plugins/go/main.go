// Command testplugin is ConfigManager's Go test plugin: a real go-plugin (v1.0.1) TokenStore whose
// behaviour is chosen by the requested token, so the .NET host can be tested against Go for real.
// The contract is documented in docs/plugins.md ("Test plugin contract").
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"cmtest/proto"
)

// handshake matches configmanager's tokenstore.Handshake.
var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "CONFIGMANAGER_PLUGIN",
	MagicCookieValue: "configmanager-plugin-hello",
}

const jsonValue = `{"user":"alice","password":"s3cr3t-json","nested":{"port":5432,"enabled":true},"list":[1,2]}`

// realStderr is fd 2; go-plugin swaps os.Stderr for an unread pipe after the handshake.
var realStderr = os.Stderr

type tokenStore struct {
	log hclog.Logger
}

func (s *tokenStore) Value(ctx context.Context, req *proto.TokenValueRequest) (*proto.TokenValueResponse, error) {
	token := strings.TrimLeft(req.Token, "/")
	kind, rest := token, ""
	if i := strings.Index(token, "/"); i >= 0 {
		kind, rest = token[:i], token[i+1:]
	}
	value, err := s.answer(ctx, kind, rest, token, req.Metadata)
	if err != nil {
		return nil, err
	}
	return &proto.TokenValueResponse{Value: value}, nil
}

func (s *tokenStore) answer(ctx context.Context, kind, rest, token string, metadata []byte) (string, error) {
	switch kind {
	case "echo":
		if len(metadata) == 0 {
			return rest, nil
		}
		return rest + "#" + string(metadata), nil
	case "json":
		return jsonValue, nil
	case "error":
		return "", errors.New(rest)
	case "sleep":
		ms, err := strconv.Atoi(rest)
		if err != nil {
			return "", fmt.Errorf("bad sleep duration %q", rest)
		}
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
			return "slept " + rest, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	case "crash":
		os.Exit(3)
	case "log":
		s.log.Info("plugin info line")
		s.log.Warn("plugin warn line")
		fmt.Fprintln(realStderr, "[ERROR] plugin error line")
		return "logged", nil
	case "large":
		n, err := strconv.Atoi(rest)
		if err != nil || n < 0 {
			return "", fmt.Errorf("bad size %q", rest)
		}
		return strings.Repeat("x", n), nil
	case "env":
		v, ok := os.LookupEnv(rest)
		if !ok {
			return "", fmt.Errorf("environment variable %s is not set", rest)
		}
		return v, nil
	}
	return "", fmt.Errorf("unknown behaviour: %s", token)
}

// tokenStorePlugin serves TokenStore on go-plugin's gRPC server.
type tokenStorePlugin struct {
	plugin.Plugin
	impl *tokenStore
}

func (p *tokenStorePlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	proto.RegisterTokenStoreServer(s, p.impl)
	return nil
}

func (p *tokenStorePlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return proto.NewTokenStoreClient(c), nil
}

// rewriteHandshake lets go-plugin print its real handshake into a pipe and forwards it with one
// field replaced, so start-up misbehaviours still come from a genuinely serving plugin.
func rewriteHandshake(field int, value string) {
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		parts := strings.Split(strings.TrimRight(line, "\n"), "|")
		if field < len(parts) {
			parts[field] = value
		}
		fmt.Fprintln(stdout, strings.Join(parts, "|"))
		io.Copy(io.Discard, r)
	}()
}

func applyStartMode(mode string) {
	switch mode {
	case "":
	case "garbage":
		fmt.Println("hello world")
	case "blank":
		fmt.Println()
	case "badcore":
		rewriteHandshake(0, "2")
	case "badapp":
		rewriteHandshake(1, "99")
	case "badnet":
		rewriteHandshake(2, "carrier-pigeon")
	case "badproto":
		rewriteHandshake(4, "netrpc")
	case "silent":
		time.Sleep(120 * time.Second)
		os.Exit(0)
	case "exit":
		fmt.Fprintln(os.Stderr, "refusing to start")
		os.Exit(4)
	default:
		fmt.Fprintf(os.Stderr, "unknown CMTEST_MODE %q\n", mode)
		os.Exit(5)
	}
}

func main() {
	applyStartMode(os.Getenv("CMTEST_MODE"))
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "testplugin",
		Level:      hclog.Trace,
		Output:     realStderr,
		JSONFormat: true,
	})
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: handshake,
		Plugins: map[string]plugin.Plugin{
			"configmanager_token_store": &tokenStorePlugin{impl: &tokenStore{log: logger}},
		},
		GRPCServer: plugin.DefaultGRPCServer,
		Logger:     logger,
	})
}
