using System.Net;
using System.Text;
using System.Text.Json;

namespace WirelessNet.Coverage.Mapping;

/// <summary>
/// A self-contained coverage map page: one HTML document with inline CSS, SVG and script, and nothing fetched from
/// elsewhere (no tiles, CDNs or fonts). Hexes are SVG <c>&lt;polygon data-cell="…"&gt;</c> filled by best RSSI
/// (<see cref="RssiColorScale"/>), hotspots <c>&lt;circle data-hotspot="…"&gt;</c>, drawn in Web Mercator fitted to the data.
/// The script renders embedded GeoJSON when the page carries it, otherwise fetches
/// <c>{DataUrl}?bbox=…&amp;res=…</c> (bbox/res from the page address, else from the options).
/// </summary>
public static class CoverageMapPage
{
    public static string Render(CoverageMapPageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = JsonSerializer.Serialize(new PageConfig(
            options.DataUrl,
            options.Box?.ToString(),
            options.Resolution,
            [.. RssiColorScale.Bands.Select(b => new PageBand(double.IsNegativeInfinity(b.MinRssi) ? null : b.MinRssi, b.Color))]));

        var html = new StringBuilder(8 * 1024);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>
            """).Append(WebUtility.HtmlEncode(options.Title)).Append("""
            </title>
            <style>
            body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #222; background: #f4f4f1; }
            header { padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
            h1 { font-size: 18px; margin: 0; }
            #map { display: block; width: 100%; height: calc(100vh - 96px); background: #dfe6e9; }
            #map polygon { stroke: #333; stroke-width: 0.5; fill-opacity: 0.75; }
            #map circle { fill: #1f3b73; stroke: #fff; stroke-width: 1.5; }
            #legend { display: flex; gap: 12px; list-style: none; margin: 0; padding: 8px 16px; flex-wrap: wrap; }
            #legend span { display: inline-block; width: 14px; height: 14px; margin-right: 4px; vertical-align: -2px; border: 1px solid #333; }
            #legend .hotspot span { border-radius: 50%; background: #1f3b73; }
            </style>
            </head>
            <body>
            <header><h1>
            """).Append(WebUtility.HtmlEncode(options.Title)).Append("""
            </h1><p id="status">Loading coverage…</p></header>
            <svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 700" preserveAspectRatio="xMidYMid meet" role="img" aria-label="Coverage map"><g id="hexes"></g><g id="hotspots"></g></svg>
            <ul id="legend" aria-label="Best RSSI">
            """);
        foreach (var band in RssiColorScale.Bands)
        {
            html.Append("<li data-color=\"").Append(band.Color).Append("\"><span style=\"background:").Append(band.Color).Append("\"></span>")
                .Append(WebUtility.HtmlEncode(band.Label)).Append("</li>");
        }

        html.Append("<li class=\"hotspot\"><span></span>Hotspot</li></ul>\n");

        // System.Text.Json's default encoder escapes <, > and &, so the JSON cannot close the script element.
        html.Append("<script type=\"application/json\" id=\"coverage-config\">").Append(config).Append("</script>\n");
        if (options.EmbeddedData is { } data)
        {
            html.Append("<script type=\"application/json\" id=\"coverage-data\">")
                .Append(CoverageGeoJson.Serialize(data))
                .Append("</script>\n");
        }

        html.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private sealed record PageConfig(string DataUrl, string? Bbox, int? Res, PageBand[] Bands);

    private sealed record PageBand(double? Min, string Color);

    private const string Script = """
        (function () {
          'use strict';
          var SVG = 'http://www.w3.org/2000/svg';
          var WIDTH = 1000, HEIGHT = 700, PAD = 20;
          var config = JSON.parse(document.getElementById('coverage-config').textContent);
          var status = document.getElementById('status');

          function colorFor(rssi) {
            for (var i = 0; i < config.Bands.length; i++) {
              var band = config.Bands[i];
              if (band.Min === null || rssi >= band.Min) { return band.Color; }
            }
            return config.Bands[config.Bands.length - 1].Color;
          }

          function mercatorY(lat) {
            var phi = Math.max(-85, Math.min(85, lat)) * Math.PI / 180;
            return Math.log(Math.tan(Math.PI / 4 + phi / 2)) * 180 / Math.PI;
          }

          function eachCoordinate(geometry, visit) {
            if (geometry.type === 'Point') { visit(geometry.coordinates); }
            else if (geometry.type === 'Polygon') { geometry.coordinates[0].forEach(visit); }
          }

          function render(collection) {
            var features = collection.features || [];
            var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
            features.forEach(function (f) {
              eachCoordinate(f.geometry, function (c) {
                var y = mercatorY(c[1]);
                minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]);
                minY = Math.min(minY, y); maxY = Math.max(maxY, y);
              });
            });
            if (!features.length) { status.textContent = 'No coverage in this area.'; return; }
            var scale = Math.min((WIDTH - 2 * PAD) / Math.max(maxX - minX, 1e-9), (HEIGHT - 2 * PAD) / Math.max(maxY - minY, 1e-9));
            var offsetX = (WIDTH - (maxX - minX) * scale) / 2, offsetY = (HEIGHT - (maxY - minY) * scale) / 2;
            function project(c) {
              return [offsetX + (c[0] - minX) * scale, offsetY + (maxY - mercatorY(c[1])) * scale];
            }

            var hexLayer = document.getElementById('hexes'), hotspotLayer = document.getElementById('hotspots');
            var hexes = 0, hotspots = 0;
            features.forEach(function (f) {
              var p = f.properties || {};
              if (p.kind === 'hex' && f.geometry.type === 'Polygon') {
                var polygon = document.createElementNS(SVG, 'polygon');
                polygon.setAttribute('points', f.geometry.coordinates[0].slice(0, -1).map(function (c) {
                  var xy = project(c); return xy[0].toFixed(2) + ',' + xy[1].toFixed(2);
                }).join(' '));
                polygon.setAttribute('data-cell', p.cell);
                polygon.setAttribute('data-best-rssi', String(p.bestRssi));
                polygon.setAttribute('fill', colorFor(p.bestRssi));
                var title = document.createElementNS(SVG, 'title');
                title.textContent = p.cell + ' (res ' + p.res + '): ' + p.count + ' receptions by ' + p.distinctGateways +
                  ' gateways; best RSSI ' + p.bestRssi + ' dBm, mean ' + p.meanRssi + ' dBm; best SNR ' + p.bestSnr +
                  ' dB; last seen ' + p.lastSeen;
                polygon.appendChild(title);
                hexLayer.appendChild(polygon);
                hexes++;
              } else if (p.kind === 'hotspot' && f.geometry.type === 'Point') {
                var xy = project(f.geometry.coordinates);
                var circle = document.createElementNS(SVG, 'circle');
                circle.setAttribute('cx', xy[0].toFixed(2));
                circle.setAttribute('cy', xy[1].toFixed(2));
                circle.setAttribute('r', '5');
                circle.setAttribute('data-hotspot', p.id);
                var name = document.createElementNS(SVG, 'title');
                name.textContent = p.name;
                circle.appendChild(name);
                hotspotLayer.appendChild(circle);
                hotspots++;
              }
            });
            status.textContent = hexes + ' hexes, ' + hotspots + ' hotspots';
            document.body.setAttribute('data-rendered', 'true');
          }

          var embedded = document.getElementById('coverage-data');
          if (embedded) {
            render(JSON.parse(embedded.textContent));
            return;
          }

          var params = new URLSearchParams(window.location.search);
          var bbox = params.get('bbox') || config.Bbox;
          var res = params.get('res') || (config.Res === null ? null : String(config.Res));
          if (!bbox || !res) {
            status.textContent = 'Add ?bbox=minLng,minLat,maxLng,maxLat&res=N to the address.';
            return;
          }

          fetch(config.DataUrl + '?bbox=' + encodeURIComponent(bbox) + '&res=' + encodeURIComponent(res))
            .then(function (response) {
              return response.json().then(function (body) {
                if (!response.ok) { throw new Error(body.detail || body.title || ('HTTP ' + response.status)); }
                return body;
              });
            })
            .then(render)
            .catch(function (error) { status.textContent = 'Could not load coverage: ' + error.message; });
        })();

        """;
}
