global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
