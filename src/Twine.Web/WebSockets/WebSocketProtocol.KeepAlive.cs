namespace Twine.Web.WebSockets;

// Keep-alive: after PingInterval without a byte from the peer, a ping; after PingTimeout more without one, the connection is dropped.
public abstract partial class WebSocketProtocol
{
    private Time.IDelayedCall? _pingTimer;
    private bool _heard;
    private bool _pingOutstanding;

    private void StartKeepAlive()
    {
        if (_options.PingInterval is not { } interval || _time is null) return;
        _heard = false;
        _pingTimer = _time.CallLater(interval, static self => self.KeepAliveTick(), this);
    }

    private void KeepAliveTick()
    {
        _pingTimer = null;
        if (State != WebSocketState.Open) return;
        if (_heard)
        {
            _heard = false;
            _pingOutstanding = false;
            _pingTimer = _time!.CallLater(_options.PingInterval!.Value, static self => self.KeepAliveTick(), this);
            return;
        }
        if (_pingOutstanding)
        {
            // Nothing at all from the peer through a whole ping timeout: the connection is dead.
            Transport.AbortConnection();
            return;
        }
        _pingOutstanding = true;
        SendPing("twine-keepalive"u8);
        _pingTimer = _time!.CallLater(_options.PingTimeout, static self => self.KeepAliveTick(), this);
    }

    private void StopKeepAlive()
    {
        if (_pingTimer is { IsActive: true } t) t.Cancel();
        _pingTimer = null;
    }
}
