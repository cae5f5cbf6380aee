using HpcK8s.Operator;

var builder = WebApplication.CreateBuilder(args);
// Listen where the chart's probes look (8080) unless ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS / --urls say otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls("http://+:8080");
}

builder.AddHpcK8sOperator();
var app = builder.Build();
app.MapHpcK8sOperator();
await app.RunAsync();
