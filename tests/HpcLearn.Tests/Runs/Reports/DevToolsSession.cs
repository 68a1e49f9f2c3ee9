using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace HpcLearn.Tests.Runs.Reports;

/// <summary>A minimal Chrome DevTools protocol client: commands with replies, and every event kept.</summary>
internal sealed class DevToolsSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<JsonObject> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    public static async Task<DevToolsSession> ConnectAsync(Uri url, CancellationToken ct)
    {
        var session = new DevToolsSession();
        session._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await session._socket.ConnectAsync(url, ct);
        session._receiving = Task.Run(session.ReceiveLoop);
        return session;
    }

    /// <summary>Sends a command and returns its result; a protocol error throws.</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters, CancellationToken ct)
    {
        int id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);
        var answer = await reply.Task.WaitAsync(ct);
        if (answer["error"] is JsonNode error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return answer["result"]?.AsObject() ?? new JsonObject();
    }

    /// <summary>The parameters of every event named <paramref name="method"/> received so far.</summary>
    public List<JsonObject> Events(string method)
    {
        lock (_events) return _events.Where(e => (string?)e["method"] == method).Select(e => e["params"]?.AsObject() ?? new JsonObject()).ToList();
    }

    /// <summary>Waits until an event named <paramref name="method"/> has arrived.</summary>
    public async Task WaitForEventAsync(string method, CancellationToken ct)
    {
        while (Events(method).Count == 0) await Task.Delay(50, ct);
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is JsonNode id && _pending.TryRemove((int)id, out var reply)) reply.TrySetResult(json);
                else lock (_events) _events.Add(json);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        foreach (var reply in _pending.Values) reply.TrySetException(new InvalidOperationException("DevTools connection closed"));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _receiving; } catch (OperationCanceledException) { }
        _socket.Dispose();
        _stop.Dispose();
    }
}
