global using System.Globalization;
global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
global using k8s;
global using k8s.Models;
global using Microsoft.Extensions.Configuration;
