using HpcK8s.Worker;

var builder = WebApplication.CreateBuilder(args);
// `dapr run --app-port N` tells the app its port in APP_PORT; otherwise listen where the chart's probes look (8080),
// unless ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS / --urls say otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    var port = Environment.GetEnvironmentVariable("APP_PORT");
    builder.WebHost.UseUrls("http://+:" + (string.IsNullOrEmpty(port) ? "8080" : port));
}

builder.AddHpcK8sWorker();
var app = builder.Build();
app.MapHpcK8sWorker();
await app.RunAsync();
