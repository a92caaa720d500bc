module.exports = { title: 'Heron Policies', url: 'https://heron.example', baseUrl: '/' };
